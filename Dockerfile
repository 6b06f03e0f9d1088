# One image for every Topiary service; docker-compose.yml picks the kind with `service KIND`.
# Build the CLI first (the image only copies what Maven produced):
#   mvn -B -DskipTests package && docker-compose build
# BASE_IMAGE is any Java 17 runtime on Debian or Ubuntu: the default, or the local topiary/jre:17
# that scripts/container-images.sh makes where no image registry is reachable.
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BASE_IMAGE}

# ND4J's native backend needs OpenMP at run time; the JRE image does not ship it.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgomp1 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 topiary

WORKDIR /opt/topiary
COPY services/cli/target/lib/ /opt/topiary/lib/
COPY services/cli/target/topiary-cli-*.jar /opt/topiary/app/
# `topiary ...` inside the container, for the entry point and the compose health checks
RUN printf '#!/bin/sh\nexec java -cp "/opt/topiary/app/*:/opt/topiary/lib/*" dev.topiary.cli.Main "$@"\n' \
      > /usr/local/bin/topiary \
 && chmod 755 /usr/local/bin/topiary

# ND4J/JavaCPP unpack native libraries under the user's home: it must be writable.
USER topiary
# Unpack them once, into the image, rather than in every new container before its first model
# (making a tiny network is enough to load ND4J's natives).
RUN topiary new mlp --layers 4,2 -o /tmp/warm-up.zip >/dev/null && rm /tmp/warm-up.zip
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"

ENTRYPOINT ["topiary"]
CMD ["--help"]
