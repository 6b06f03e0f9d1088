package dev.topiary.runtime.broker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs a secured embedded broker gives its user ({@link BrokerSecurity#USER}): everything a
 * Topiary service or client does (topics, consumer groups, transactions, creating topics), and no
 * more: it cannot change ACLs, users or broker configuration. Granted at every start as the super
 * user; granting an existing ACL again changes nothing.
 */
final class BrokerAcls {
    private BrokerAcls() {}

    static List<AclBinding> forUser(String user) {
        String principal = "User:" + user;
        List<AclBinding> out = new ArrayList<>();
        for (ResourceType type : List.of(ResourceType.TOPIC, ResourceType.GROUP, ResourceType.TRANSACTIONAL_ID)) {
            out.add(allow(new ResourcePattern(type, ResourcePattern.WILDCARD_RESOURCE, PatternType.LITERAL), principal,
                    AclOperation.ALL));
        }
        ResourcePattern cluster = new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL);
        for (AclOperation op : List.of(AclOperation.DESCRIBE, AclOperation.CREATE, AclOperation.IDEMPOTENT_WRITE,
                AclOperation.DESCRIBE_CONFIGS)) {
            out.add(allow(cluster, principal, op));
        }
        return out;
    }

    static AclBinding allow(ResourcePattern pattern, String principal, AclOperation op) {
        return new AclBinding(pattern, new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW));
    }

    static void grantUser(String bootstrap, BrokerSecurity security) {
        Map<String, Object> conf = new HashMap<>(security.adminSettings());
        conf.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(conf)) {
            admin.createAcls(forUser(BrokerSecurity.USER)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot grant " + BrokerSecurity.USER + " its ACLs on " + bootstrap + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while granting ACLs", e);
        }
    }
}
