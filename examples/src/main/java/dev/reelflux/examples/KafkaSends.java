package dev.reelflux.examples;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import reactor.core.publisher.Mono;

/**
 * The one bridge the worker needs from the Kafka producer to Reactor: a send as a {@code Mono}. (Reactor's own Kafka
 * binding was discontinued; the consumer side stays on its poll thread, where the Kafka client wants it.)
 */
final class KafkaSends {

    private KafkaSends() {
    }

    /**
     * Sends {@code record} on subscription. Emits its metadata once the broker acknowledged it (with the producer's
     * {@code acks}), on the producer's I/O thread; errors with what the producer reports, a record over the size
     * limits among them ({@link org.apache.kafka.common.errors.RecordTooLargeException}). A cancel does not take
     * back a record handed to the producer.
     */
    static <K, V> Mono<RecordMetadata> send(Producer<K, V> producer, ProducerRecord<K, V> record) {
        return Mono.create(sink -> producer.send(record, (metadata, error) -> {
            if (error != null) {
                sink.error(error);
            } else {
                sink.success(metadata);
            }
        }));
    }
}
