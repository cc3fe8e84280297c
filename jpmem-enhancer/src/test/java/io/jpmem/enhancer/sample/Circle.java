package io.jpmem.enhancer.sample;

import io.jpmem.objects.Persistent;

@Persistent
public class Circle implements Shape {
    double radius;

    public Circle(double radius) {
        this.radius = radius;
    }

    @Override
    public double area() {
        return 3 * radius * radius; // a round number for the tests
    }
}
