package dev.shopmesh.platform.lb;

/**
 * Retries are budgeted, as Envoy and Linkerd do, so that a dead dependency cannot cause a retry
 * storm: each first attempt earns {@code ratio} of a token (up to {@code maxTokens}), each retry
 * spends one. With ratio 0.2, retries add at most about 20 % to the load.
 */
public final class RetryBudget {

  private final double ratio;
  private final double maxTokens;
  private double tokens;

  public RetryBudget(double ratio, double maxTokens) {
    this.ratio = ratio;
    this.maxTokens = maxTokens;
    this.tokens = maxTokens;
  }

  public synchronized void attempted() {
    tokens = Math.min(maxTokens, tokens + ratio);
  }

  /** Spends a token for a retry; false when the budget is exhausted. */
  public synchronized boolean tryRetry() {
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }
}
