package dev.switchboard.search;

import dev.switchboard.failure.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A search as a user typed it, reduced to phrases of plain words: {@code deploy "blue green"} is the word
 * {@code deploy} and the phrase {@code blue green}, and a message matches when it holds every one of them.
 *
 * <p>Only letters and digits survive as words; everything else (quotes other than phrase marks, {@code *},
 * {@code -}, {@code ;}, operators such as {@code NEAR} or {@code OR} taken as plain words) separates words. So
 * no input can reach a database's query language as syntax: the store quotes each word as a literal.
 *
 * @param text the query as typed, echoed back to clients
 * @param phrases the phrases to match, each one or more words in order
 */
public record SearchQuery(String text, List<List<String>> phrases) {

    /** Longer queries are refused: they only make the index work harder. */
    public static final int MAX_LENGTH = 500;
    /** How many characters of text the context shows on each side of the match. */
    private static final int CONTEXT_CHARS = 80;

    public SearchQuery {
        phrases = phrases.stream().map(List::copyOf).toList();
        if (phrases.isEmpty() || phrases.stream().anyMatch(List::isEmpty)) {
            throw new IllegalArgumentException("A search needs at least one word, and no phrase may be empty");
        }
    }

    /** Parses what a user typed; 400 naming {@code field} when it holds no word to search for. */
    public static SearchQuery parse(String typed, String field) {
        if (typed == null || typed.isBlank()) {
            throw new InvalidInputException(field, field + " is required: the words to search for");
        }
        if (typed.length() > MAX_LENGTH) {
            throw new InvalidInputException(field, field + " must be at most " + MAX_LENGTH + " characters");
        }
        List<List<String>> phrases = new ArrayList<>();
        List<String> phrase = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < typed.length(); ) {
            int c = typed.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isLetterOrDigit(c)) {
                word.appendCodePoint(c);
                continue;
            }
            endWord(word, phrase);
            if (!quoted) {
                endPhrase(phrase, phrases);
            }
            if (c == '"') {
                endPhrase(phrase, phrases);
                quoted = !quoted;
            }
        }
        endWord(word, phrase);
        endPhrase(phrase, phrases);
        if (phrases.isEmpty()) {
            throw new InvalidInputException(field, field + " must contain at least one word or number to search for");
        }
        return new SearchQuery(typed, phrases);
    }

    private static void endWord(StringBuilder word, List<String> phrase) {
        if (!word.isEmpty()) {
            phrase.add(word.toString());
            word.setLength(0);
        }
    }

    private static void endPhrase(List<String> phrase, List<List<String>> phrases) {
        if (!phrase.isEmpty()) {
            phrases.add(List.copyOf(phrase));
            phrase.clear();
        }
    }

    /**
     * The first place in {@code text} where one of the phrases stands, with some text around it; when the
     * database matched in a way this cannot find again, the start of the text.
     */
    public Excerpt excerpt(String text) {
        String body = text == null ? "" : text;
        Matcher earliest = null;
        for (List<String> phrase : phrases) {
            Matcher m = pattern(phrase).matcher(body);
            if (m.find() && (earliest == null || m.start() < earliest.start())) {
                earliest = m;
            }
        }
        if (earliest == null) {
            String head = body.length() <= 2 * CONTEXT_CHARS ? body : body.substring(0, 2 * CONTEXT_CHARS) + "…";
            return new Excerpt(String.join(" ", phrases.getFirst()), head.strip());
        }
        int from = Math.max(0, earliest.start() - CONTEXT_CHARS);
        int to = Math.min(body.length(), earliest.end() + CONTEXT_CHARS);
        // cut at a space where one is near, so the context does not start or end mid-word
        if (from > 0) {
            int space = body.indexOf(' ', from);
            from = space >= 0 && space < earliest.start() ? space + 1 : from;
        }
        if (to < body.length()) {
            int space = body.lastIndexOf(' ', to);
            to = space >= earliest.end() ? space : to;
        }
        String context = (from > 0 ? "…" : "") + body.substring(from, to).strip() + (to < body.length() ? "…" : "");
        return new Excerpt(earliest.group(), context);
    }

    /** The phrase's words in order, whole words only, any non-word characters between them, any case. */
    private static Pattern pattern(List<String> phrase) {
        StringBuilder regex = new StringBuilder("(?<![\\p{L}\\p{N}])");
        for (int i = 0; i < phrase.size(); i++) {
            if (i > 0) {
                regex.append("[^\\p{L}\\p{N}]+");
            }
            regex.append(Pattern.quote(phrase.get(i)));
        }
        regex.append("(?![\\p{L}\\p{N}])");
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }
}
