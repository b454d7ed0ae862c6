package dev.switchboard.userprofile;

import dev.switchboard.context.ContextContributor;
import dev.switchboard.context.ContextRequest;
import dev.switchboard.context.ContextSection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Tells agents what is known about the user they talk to: the facts not contradicted, most certain first. */
public final class UserProfileContributor implements ContextContributor {

    /** Below the date, above long retrieved material: facts are short and apply to every conversation. */
    public static final int PRIORITY = 500;

    static final int MAX_FACTS = 50;

    private final UserProfileStore store;

    public UserProfileContributor(UserProfileStore store) {
        this.store = store;
    }

    @Override
    public Optional<ContextSection> contribute(ContextRequest request) {
        List<UserFact> facts = store.facts(request.ownerId()).stream()
                .filter(f -> !f.contradicted())
                .sorted(Comparator.comparingDouble(UserFact::confidence).reversed())
                // a long profile would lose the whole section to the budget; the most certain facts matter most
                .limit(MAX_FACTS)
                .toList();
        if (facts.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder text = new StringBuilder("Learned from earlier conversations (may be out of date):");
        for (UserFact fact : facts) {
            text.append("\n- ").append(fact.fact());
        }
        return Optional.of(new ContextSection("About the user", text.toString(), PRIORITY));
    }
}
