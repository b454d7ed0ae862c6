package dev.switchboard.context;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

/** Tells the model today's date and the time (UTC): models otherwise guess from their training cut-off. */
public final class DateContributor implements ContextContributor {

    /** Above every other section: it is tiny and the model cannot know it any other way. */
    public static final int PRIORITY = 1000;

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("EEEE, d MMMM yyyy, HH:mm 'UTC'",
            Locale.ENGLISH).withZone(ZoneOffset.UTC);

    @Override
    public Optional<ContextSection> contribute(ContextRequest request) {
        return Optional.of(new ContextSection("Current date",
                FORMAT.format(request.now().truncatedTo(ChronoUnit.MINUTES)), PRIORITY));
    }
}
