package io.vidrd.demo.data;

/** The ground truth behind a {@link Sample}'s caption. */
public sealed interface SampleAttributes permits ClipAttributes, StillAttributes {

    /** @return the background colour */
    BackgroundColor background();

    /** @return the background texture */
    Texture texture();
}
