package dev.shopmesh.order.order;

/** Why an order was rejected; NONE while it is not. */
public enum Rejection { NONE, OUT_OF_STOCK, PAYMENT_DECLINED, INVALID_INPUT, UNAVAILABLE, TIMEOUT }
