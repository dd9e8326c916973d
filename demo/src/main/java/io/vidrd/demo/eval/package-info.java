/**
 * Quality measurement for the demo model: prompt adherence (colour, shape, motion recovered from
 * frames by simple image analysis), temporal smoothness at clip boundaries against inside clips,
 * and motion, so that a frozen video does not pass as smooth.
 */
package io.vidrd.demo.eval;
