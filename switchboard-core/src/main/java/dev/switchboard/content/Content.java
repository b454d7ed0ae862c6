package dev.switchboard.content;

import java.util.List;

/** Small functions over content part lists. */
public final class Content {

    private Content() {
    }

    /** A content list holding one text part. */
    public static List<ContentPart> text(String text) {
        return List.of(new TextPart(text));
    }

    /** The text parts joined, for titles, search and logs. */
    public static String plainText(List<ContentPart> parts) {
        if (parts == null) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (ContentPart part : parts) {
            if (part instanceof TextPart t) {
                if (!text.isEmpty()) {
                    text.append('\n');
                }
                text.append(t.text());
            }
        }
        return text.toString();
    }
}
