package dev.reelflux.core.testing;

/**
 * What a path of a {@link TestHttpServer} answers when no fault says otherwise.
 */
sealed interface Route {

    /**
     * Serve the content, with range support.
     */
    record Resource(Content content, String contentType) implements Route {
    }

    /**
     * Answer {@code status} with {@code Location: location} and an empty body.
     */
    record Redirect(String location, int status) implements Route {
    }
}
