package io.github.nspawnrunner.lava;

/** A final answer of the server to one request (transient failures never get this far). */
record HttpAnswer(int status, String body) {
    boolean ok() {
        return status >= 200 && status < 300;
    }
}
