package dev.topiary.runtime.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * Makes a real hanging transaction: a transactional record written straight to a partition's leader
 * with a producer id and epoch whose coordinator has no transaction on that partition, which is what
 * a write landing after its transaction ended leaves behind. It uses Produce version 11, from before
 * transactions version 2 added partitions implicitly, so a broker started with
 * {@code transaction.partition.verification.enable=false} appends it without asking the coordinator.
 */
public final class StrayTransactionalWrite {
    private static final short PRODUCE_VERSION = 11;

    private StrayTransactionalWrite() {
    }

    /** Writes one record for {@code producerId}/{@code epoch} to partition 0 of {@code topic}; fails unless appended. */
    public static void write(String host, int port, String transactionalId, long producerId, short epoch, String topic)
            throws IOException {
        MemoryRecords records = MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, epoch, 0,
                new SimpleRecord("stray".getBytes(), "written after its transaction ended".getBytes()));
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection(
                List.of(new ProduceRequestData.TopicProduceData().setName(topic).setPartitionData(List.of(
                        new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records)))).iterator());
        ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000)
                .setTransactionalId(transactionalId).setTopicData(topics);
        RequestHeader header = new RequestHeader(ApiKeys.PRODUCE, PRODUCE_VERSION, "stray-writer", 1);
        ByteBuffer request = new ProduceRequest.Builder(PRODUCE_VERSION, PRODUCE_VERSION, data)
                .build(PRODUCE_VERSION).serializeWithHeader(header);
        try (Socket socket = new Socket(host, port)) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(request.remaining());
            out.write(request.array(), request.arrayOffset() + request.position(), request.remaining());
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] response = new byte[in.readInt()];
            in.readFully(response);
            ProduceResponse parsed = (ProduceResponse) AbstractResponse.parseResponse(ByteBuffer.wrap(response), header);
            Map<Errors, Integer> errors = parsed.errorCounts();
            if (!errors.keySet().equals(java.util.Set.of(Errors.NONE))) {
                throw new IllegalStateException("the stray write was refused: " + errors);
            }
        }
    }
}
