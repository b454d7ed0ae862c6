package dev.switchboard.speech;

/** Turns text into speech. */
public interface Synthesizer {

    /**
     * @param voice the engine's voice name, or null for its default
     * @param speed 0.25 to 4, 1 being the engine's normal pace
     */
    Audio speak(String text, String voice, double speed);

    /** Which engine this is, as answers name it. */
    String name();
}
