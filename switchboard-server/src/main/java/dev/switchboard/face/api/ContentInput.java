package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.content.BlobStore;
import dev.switchboard.content.ContentPart;
import dev.switchboard.content.FilePart;
import dev.switchboard.content.ImagePart;
import dev.switchboard.content.TextPart;
import dev.switchboard.failure.InvalidInputException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads message content in the native wire shape: a string, or an array of parts
 * {@code {type:"text",text}}, {@code {type:"image",image,mimeType}}, {@code {type:"file",data,mimeType,filename}}
 * where image and data are base64 or {@code data:} URLs (an image may also be an http(s) URL).
 * Binary parts go to the blob store.
 */
public final class ContentInput {

    private static final Pattern DATA_URL = Pattern.compile("^data:([\\w.+-]+/[\\w.+-]+);base64,(.*)$", Pattern.DOTALL);
    private static final Pattern MIME = Pattern.compile("[\\w.+-]+/[\\w.+-]+");

    private final BlobStore blobs;

    public ContentInput(BlobStore blobs) {
        this.blobs = blobs;
    }

    public List<ContentPart> read(JsonNode content, String field) {
        if (content == null || content.isNull()) {
            throw new InvalidInputException(field, "is required: a string or an array of content parts");
        }
        if (content.isTextual()) {
            if (content.asText().isBlank()) {
                throw new InvalidInputException(field, "must not be empty");
            }
            return List.of(new TextPart(content.asText()));
        }
        if (!content.isArray()) {
            throw new InvalidInputException(field, "must be a string or an array of content parts");
        }
        if (content.isEmpty()) {
            throw new InvalidInputException(field, "must contain at least one part");
        }
        List<ContentPart> parts = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            parts.add(part(content.get(i), field + "[" + i + "]"));
        }
        return parts;
    }

    private ContentPart part(JsonNode part, String path) {
        if (!part.isObject()) {
            throw new InvalidInputException(path, "must be an object with a type");
        }
        String type = text(part, "type", path);
        return switch (type) {
            case "text" -> new TextPart(text(part, "text", path));
            case "image" -> image(part, path);
            case "file" -> file(part, path);
            default -> throw new InvalidInputException(path + ".type", "must be text, image or file");
        };
    }

    private ContentPart image(JsonNode part, String path) {
        String image = text(part, "image", path);
        String mimeType = optionalMime(part, path);
        if (image.startsWith("http://") || image.startsWith("https://")) {
            return new ImagePart(mimeType, null, image);
        }
        Decoded decoded = decode(image, mimeType, path + ".image");
        if (!decoded.mimeType().startsWith("image/")) {
            throw new InvalidInputException(path + ".mimeType", "must be an image/* type");
        }
        return new ImagePart(decoded.mimeType(), blobs.put(decoded.bytes(), decoded.mimeType()), null);
    }

    private ContentPart file(JsonNode part, String path) {
        String data = text(part, "data", path);
        Decoded decoded = decode(data, optionalMime(part, path), path + ".data");
        String filename = part.hasNonNull("filename") ? part.get("filename").asText() : null;
        return new FilePart(decoded.mimeType(), filename, blobs.put(decoded.bytes(), decoded.mimeType()));
    }

    private record Decoded(String mimeType, byte[] bytes) {
    }

    private static Decoded decode(String value, String mimeType, String path) {
        String base64 = value;
        String mime = mimeType;
        Matcher dataUrl = DATA_URL.matcher(value);
        if (dataUrl.matches()) {
            mime = mime == null ? dataUrl.group(1) : mime;
            base64 = dataUrl.group(2);
        }
        if (mime == null) {
            throw new InvalidInputException(path.replaceFirst("\\.[a-z]+$", ".mimeType"),
                    "is required unless the data is a data: URL");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(path, "must be base64 or a data: URL");
        }
        if (bytes.length == 0) {
            throw new InvalidInputException(path, "must not be empty");
        }
        return new Decoded(mime, bytes);
    }

    private static String optionalMime(JsonNode part, String path) {
        if (!part.hasNonNull("mimeType")) {
            return null;
        }
        String mime = part.get("mimeType").asText();
        if (!MIME.matcher(mime).matches()) {
            throw new InvalidInputException(path + ".mimeType", "must be a MIME type such as image/png");
        }
        return mime;
    }

    private static String text(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new InvalidInputException(path + "." + field, "is required and must be a string");
        }
        return value.asText();
    }
}
