package dev.switchboard.tool;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The built-in tools the server knows, by name; an agent's YAML picks which of them it gets. */
public final class ToolRegistry {

    private final Map<String, Tool> tools = new LinkedHashMap<>();

    public ToolRegistry(Collection<? extends Tool> builtIns) {
        builtIns.forEach(this::register);
    }

    public synchronized void register(Tool tool) {
        tools.put(tool.spec().name(), tool);
    }

    public synchronized Optional<Tool> find(String name) {
        return Optional.ofNullable(tools.get(name));
    }

    /** The tools among {@code names} that exist, in the given order. */
    public synchronized List<Tool> select(Collection<String> names) {
        return names.stream().map(tools::get).filter(java.util.Objects::nonNull).toList();
    }

    /** The names of every registered tool. */
    public synchronized java.util.Set<String> names() {
        return java.util.Set.copyOf(tools.keySet());
    }

    public synchronized List<Tool> all() {
        return List.copyOf(tools.values());
    }
}
