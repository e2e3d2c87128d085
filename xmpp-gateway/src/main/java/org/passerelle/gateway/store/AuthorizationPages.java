package org.passerelle.gateway.store;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** The page-by-page walk of {@link SubscriptionStore#forEachPage}. */
final class AuthorizationPages {

  private AuthorizationPages() {}

  static CompletionStage<Long> walk(
      SubscriptionStore store,
      AuthorizationState state,
      int pageSize,
      Function<List<Authorization>, ? extends CompletionStage<?>> consumer) {
    StoredValues.pageLimit("pageSize", pageSize);
    return next(store, state, Optional.empty(), pageSize, consumer, 0);
  }

  private static CompletionStage<Long> next(
      SubscriptionStore store,
      AuthorizationState state,
      Optional<AuthorizationKey> after,
      int pageSize,
      Function<List<Authorization>, ? extends CompletionStage<?>> consumer,
      long handed) {
    return store
        .authorizationsAfter(state, after, pageSize)
        .thenCompose(
            page -> {
              if (page.isEmpty()) {
                return CompletableFuture.completedFuture(handed);
              }
              long total = handed + page.size();
              Optional<AuthorizationKey> last = Optional.of(page.get(page.size() - 1).key());
              return consumer
                  .apply(page)
                  .thenCompose(
                      done ->
                          page.size() < pageSize
                              ? CompletableFuture.completedFuture(total)
                              : next(store, state, last, pageSize, consumer, total));
            });
  }
}
