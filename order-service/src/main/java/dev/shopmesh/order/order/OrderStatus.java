package dev.shopmesh.order.order;

/** PENDING until the saga ends; then final. */
public enum OrderStatus { PENDING, CONFIRMED, REJECTED, CANCELLED }
