package dev.reelflux.core.testing;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Every request a server has received, by path, for {@link TestHttpServer#stats(String)}.
 */
final class RequestJournal {

    private final Map<String, Queue<Exchange>> byPath = new ConcurrentHashMap<>();
    private final Map<String, Queue<Map<String, String>>> headersByPath = new ConcurrentHashMap<>();

    /**
     * Records a request as it arrives.
     */
    Exchange open(String method, String path, String range, String protocol, long connectionId,
                  Map<String, String> headers) {
        headersByPath.computeIfAbsent(path, p -> new ConcurrentLinkedQueue<>()).add(headers);
        Exchange exchange = new Exchange(method, path, range, protocol, connectionId);
        byPath.computeIfAbsent(path, p -> new ConcurrentLinkedQueue<>()).add(exchange);
        return exchange;
    }

    /** The headers of each request for {@code path}, in arrival order, names in lower case. */
    List<Map<String, String>> headers(String path) {
        Queue<Map<String, String>> all = headersByPath.get(path);
        return all == null ? List.of() : List.copyOf(all);
    }

    PathStats stats(String path, long connectionsOpened) {
        Queue<Exchange> exchanges = byPath.get(path);
        // The total is summed from these very snapshots, so it always equals the sum of the logs it comes with.
        List<RequestLog> requests = exchanges == null ? List.of() : exchanges.stream().map(Exchange::snapshot).toList();
        long bytesSent = requests.stream().mapToLong(RequestLog::bytesSent).sum();
        return new PathStats(requests, bytesSent, connectionsOpened);
    }
}
