package dev.topiary.nn.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Label-keeping random changes to training images, drawn anew for every row each time a fit serves
 * it, so no two epochs of a fit show a network quite the same images. Like the shuffle, the draws
 * follow the fit's seed: two fits with one seed change their images alike.
 *
 * <p>Only the rows a fit trains on change: the holdout and the test split are always scored as they
 * are. A flip suits classes that look the same mirrored and is wrong for digits or letters; in
 * Fashion-MNIST the clothes qualify but the shoes all face one way, so a flip also shows the network
 * shoes it will never see. The choice is the user's; nothing is on by default.
 *
 * @param flip mirror each image left to right with probability one half
 * @param shift move each image by a whole number of pixels drawn from {@code -shift .. shift} on
 *        each axis, the uncovered border filled with 0 (the background of a scaled image)
 */
public record Augmentation(boolean flip, int shift) {

    public static final Augmentation NONE = new Augmentation(false, 0);

    /** The most a shift may move an image; beyond it a 28-pixel image loses what it shows. */
    public static final int MAX_SHIFT = 8;

    public Augmentation {
        if (shift < 0 || shift > MAX_SHIFT) {
            throw new IllegalArgumentException("shift must be 0 to " + MAX_SHIFT + " pixels, got " + shift);
        }
    }

    /**
     * Reads {@code none}, {@code flip}, {@code shift:N} or both joined by a comma ({@code flip,shift:2}).
     *
     * @throws IllegalArgumentException naming the part it could not read
     */
    public static Augmentation parse(String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        if (trimmed.equals("none")) {
            return NONE;
        }
        boolean flip = false;
        int shift = 0;
        for (String part : trimmed.split(",")) {
            String p = part.trim();
            if (p.equals("flip") && !flip) {
                flip = true;
            } else if (p.startsWith("shift:") && shift == 0) {
                shift = pixels(p.substring("shift:".length()));
            } else {
                throw new IllegalArgumentException("'" + p + "' in '" + text + "' is not one of none, flip, shift:N"
                        + " (each at most once, joined by commas)");
            }
        }
        return new Augmentation(flip, shift);
    }

    private static int pixels(String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= MAX_SHIFT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed range
        }
        throw new IllegalArgumentException("shift:" + value + " must move 1 to " + MAX_SHIFT + " pixels");
    }

    public boolean isSet() {
        return flip || shift > 0;
    }

    /** The form {@link #parse} reads, e.g. {@code flip,shift:2}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (flip) {
            parts.add("flip");
        }
        if (shift > 0) {
            parts.add("shift:" + shift);
        }
        return parts.isEmpty() ? "none" : String.join(",", parts);
    }
}
