/**
 * Deterministic synthetic captioned videos drawn with Java2D: training data for the embedded
 * demo model and ground truth for its evaluator.
 */
package io.vidrd.demo.data;
