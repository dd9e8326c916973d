/**
 * The Declarative Services component registering the encoder, and JavaCPP's native cache
 * in this bundle's data area. Private to this bundle.
 */
package io.vidrd.media.osgi;
