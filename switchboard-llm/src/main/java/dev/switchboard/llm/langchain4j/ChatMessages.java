package dev.switchboard.llm.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.PdfFileContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.switchboard.content.ContentPart;
import dev.switchboard.content.FilePart;
import dev.switchboard.content.ImagePart;
import dev.switchboard.content.TextPart;
import dev.switchboard.session.Message;
import dev.switchboard.session.Role;
import dev.switchboard.session.ToolCall;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Translates the core's conversation into LangChain4j chat messages. */
final class ChatMessages {

    private final Function<String, Optional<byte[]>> blobLoader;
    private final SignedReasoning signedReasoning;

    ChatMessages(Function<String, Optional<byte[]>> blobLoader, SignedReasoning signedReasoning) {
        this.blobLoader = blobLoader;
        this.signedReasoning = signedReasoning;
    }

    List<ChatMessage> toChatMessages(String systemPrompt, List<Message> messages) {
        List<ChatMessage> out = new ArrayList<>(messages.size() + 1);
        if (systemPrompt != null && !systemPrompt.isBlank()) {
            out.add(SystemMessage.from(systemPrompt));
        }
        for (Message message : messages) {
            ChatMessage mapped = switch (message.role()) {
                case SYSTEM -> systemMessage(message);
                case USER -> userMessage(message);
                case ASSISTANT -> aiMessage(message);
                case TOOL -> toolResult(message);
            };
            if (mapped != null) {
                out.add(mapped);
            }
        }
        return out;
    }

    /**
     * Whether the conversation ends in a tool loop whose assistant turn lacks the signed reasoning Anthropic
     * demands once thinking is on (it was produced by another model, another process, or without thinking).
     */
    boolean endsInUnsignedToolTurn(List<Message> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            Message message = messages.get(i);
            if (message.role() == Role.TOOL) {
                continue;
            }
            if (message.role() != Role.ASSISTANT || message.toolCalls().isEmpty()) {
                return false;
            }
            return signedReasoning.recall(message.toolCalls().getFirst().id()) == null;
        }
        return false;
    }

    private static ChatMessage systemMessage(Message message) {
        String text = dev.switchboard.content.Content.plainText(message.content());
        return text.isBlank() ? null : SystemMessage.from(text);
    }

    private ChatMessage userMessage(Message message) {
        boolean textOnly = message.content().stream().allMatch(TextPart.class::isInstance);
        if (textOnly) {
            String text = dev.switchboard.content.Content.plainText(message.content());
            return UserMessage.from(text.isEmpty() ? " " : text);
        }
        List<Content> contents = new ArrayList<>();
        for (ContentPart part : message.content()) {
            contents.add(switch (part) {
                case TextPart text -> TextContent.from(text.text());
                case ImagePart image -> image(image);
                case FilePart file -> file(file);
            });
        }
        return UserMessage.from(contents);
    }

    private Content image(ImagePart image) {
        if (image.blobId() != null) {
            Optional<byte[]> bytes = blobLoader.apply(image.blobId());
            if (bytes.isPresent()) {
                String mime = image.mimeType() == null ? "image/png" : image.mimeType();
                return ImageContent.from(Base64.getEncoder().encodeToString(bytes.get()), mime);
            }
        }
        if (image.url() != null && !image.url().isBlank()) {
            return ImageContent.from(image.url());
        }
        return TextContent.from("[an image was attached here but is no longer available]");
    }

    private Content file(FilePart file) {
        String name = file.filename() == null ? "file" : file.filename();
        String mime = file.mimeType() == null ? "application/octet-stream" : file.mimeType();
        Optional<byte[]> bytes = file.blobId() == null ? Optional.empty() : blobLoader.apply(file.blobId());
        if (bytes.isEmpty()) {
            return TextContent.from("[attached file " + name + " (" + mime + ") is no longer available]");
        }
        if (mime.equals("application/pdf")) {
            return PdfFileContent.from(Base64.getEncoder().encodeToString(bytes.get()), mime);
        }
        if (mime.startsWith("image/")) {
            return ImageContent.from(Base64.getEncoder().encodeToString(bytes.get()), mime);
        }
        if (isText(mime)) {
            return TextContent.from("[attached file " + name + "]\n" + new String(bytes.get(), StandardCharsets.UTF_8));
        }
        return TextContent.from("[attached file " + name + " (" + mime + ") cannot be read by this model]");
    }

    private static boolean isText(String mime) {
        return mime.startsWith("text/") || mime.endsWith("json") || mime.endsWith("xml") || mime.endsWith("yaml")
                || mime.equals("application/javascript") || mime.equals("application/x-sh");
    }

    private ChatMessage aiMessage(Message message) {
        String text = dev.switchboard.content.Content.plainText(message.content());
        List<ToolExecutionRequest> requests = new ArrayList<>();
        for (ToolCall call : message.toolCalls()) {
            requests.add(ToolExecutionRequest.builder()
                    .id(call.id())
                    .name(call.name())
                    .arguments(call.arguments() == null || call.arguments().isBlank() ? "{}" : call.arguments())
                    .build());
        }
        if (text.isBlank() && requests.isEmpty()) {
            // Providers reject empty assistant turns, such as one cancelled before its first token.
            return null;
        }
        AiMessage.Builder builder = AiMessage.builder().text(text.isBlank() ? null : text).toolExecutionRequests(requests);
        if (!requests.isEmpty()) {
            SignedReasoning.Turn turn = signedReasoning.recall(requests.getFirst().id());
            if (turn != null) {
                builder.thinking(turn.thinking()).attributes(turn.attributes());
            }
        }
        return builder.build();
    }

    private static ChatMessage toolResult(Message message) {
        String text = dev.switchboard.content.Content.plainText(message.content());
        return ToolExecutionResultMessage.builder()
                .id(message.toolCallId())
                .toolName(message.toolName())
                .text(text.isEmpty() ? "(no output)" : text)
                .isError(Boolean.FALSE.equals(message.success()) ? Boolean.TRUE : null)
                .build();
    }
}
