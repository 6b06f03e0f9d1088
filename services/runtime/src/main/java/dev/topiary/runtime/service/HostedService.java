package dev.topiary.runtime.service;

/** A running hosted service ({@link HostedKind#start}); closing stops it and releases its state. */
public interface HostedService extends AutoCloseable {
    @Override
    void close();
}
