package io.streembit.device.sim;

import java.util.Random;

/**
 * A bounded random walk that drifts back towards a centre: plausible sensor values (small steps,
 * no jumps, never outside the range the Thing Description allows).
 */
final class Walk {
    private final double min;
    private final double max;
    private final double step;
    private final double pull;
    private double centre;
    private double value;

    Walk(double start, double min, double max, double step, double pull) {
        this.min = min;
        this.max = max;
        this.step = step;
        this.pull = pull;
        this.centre = start;
        this.value = start;
    }

    double next(Random random) {
        value += random.nextGaussian() * step + (centre - value) * pull;
        value = Math.max(min, Math.min(max, value));
        return value;
    }

    double value() {
        return value;
    }

    void centre(double value) {
        this.centre = value;
    }

    /** Rounded to {@code decimals} places, as a sensor would report it. */
    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
