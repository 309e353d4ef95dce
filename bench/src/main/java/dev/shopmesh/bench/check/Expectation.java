package dev.shopmesh.bench.check;

/** What a correct answer to a call looks like. */
@FunctionalInterface
public interface Expectation {

  /** Why {@code reply} is wrong, or null when it is right. */
  String problem(Reply reply) throws Exception;
}
