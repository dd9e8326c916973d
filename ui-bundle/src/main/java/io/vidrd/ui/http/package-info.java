/**
 * Servlets of the page and the JSON REST API, the request guard (loopback, Host header, bearer
 * token) and the JSON mapping. Request strings never become file paths: jobs are looked up by
 * an id matching a strict pattern, and their files are named by the server.
 */
package io.vidrd.ui.http;
