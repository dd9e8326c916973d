/**
 * The web UI bundle's Declarative Services component: it registers the page and the REST API
 * with the OSGi HTTP Whiteboard and hands them the current {@link io.vidrd.api.VideoGenerator}
 * and {@link io.vidrd.api.VideoEncoder}. Nothing here is exported.
 */
package io.vidrd.ui;
