package dev.aionet.core;

/**
 * A {@link java.util.function.Consumer} that may throw: a throw fails the derived promise.
 *
 * @param <A> the argument type
 * @since 0.1
 */
@FunctionalInterface
public interface ThrowingConsumer<A> {
  /**
   * Performs this action.
   *
   * @param argument the argument
   * @throws Exception any failure, which fails the derived promise
   */
  void accept(A argument) throws Exception;
}
