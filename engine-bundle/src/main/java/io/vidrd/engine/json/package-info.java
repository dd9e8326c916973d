/** JSON reading shared by the engine's configuration readers (private to the engine bundle). */
package io.vidrd.engine.json;
