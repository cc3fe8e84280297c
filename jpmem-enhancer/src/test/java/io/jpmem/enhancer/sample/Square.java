package io.jpmem.enhancer.sample;

import io.jpmem.objects.Persistent;

@Persistent
public class Square implements Shape {
    double side;

    public Square(double side) {
        this.side = side;
    }

    @Override
    public double area() {
        return side * side;
    }
}
