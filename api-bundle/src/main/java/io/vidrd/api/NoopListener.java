package io.vidrd.api;

/** Holder of the shared listener behind {@link GenerationListener#noop()}; an enum so it is a safe singleton. */
enum NoopListener implements GenerationListener {
    INSTANCE
}
