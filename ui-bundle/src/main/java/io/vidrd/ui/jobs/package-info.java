/**
 * The UI's own record of the jobs it submitted: a bounded store, live state fed by each job's
 * {@link io.vidrd.api.GenerationListener} events, clip previews and encoded videos in a private
 * folder under names the server makes up. Independent of HTTP.
 */
package io.vidrd.ui.jobs;
