package io.github.nspawnrunner.it;

/** The stand-in for the world outside the runner host: a network namespace the tests create. */
final class Outside {
    static final String ADDRESS = "10.251.0.1";
    static final String NAME = "outside.test";
    static final int HTTP_PORT = 8002;
    static final String HTTP_ANSWER = "HTTP/1.0 200 OK";

    private Outside() {
    }
}
