package dev.switchboard.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.pipeline.Checkpoint;
import dev.switchboard.pipeline.PipelineInput;
import dev.switchboard.pipeline.PipelineRun;
import dev.switchboard.pipeline.PipelineState;
import dev.switchboard.pipeline.PipelineStatus;
import dev.switchboard.pipeline.PipelineStep;
import dev.switchboard.pipeline.PipelineStore;
import dev.switchboard.pipeline.PipelineTemplate;
import dev.switchboard.pipeline.PlanItem;
import dev.switchboard.pipeline.StepProgress;
import dev.switchboard.pipeline.StepStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.statement.StatementContext;

/** The {@link PipelineStore} on the same database as {@link JdbcStore}; steps, inputs and states as JSON text. */
public final class JdbcPipelineStore implements PipelineStore {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TEMPLATE_COLUMNS = "id, owner_id, name, description, steps, created_at, updated_at";
    private static final String RUN_COLUMNS = "id, owner_id, template_id, name, steps, inputs, status, state, error, "
            + "created_at, updated_at";
    private static final String CHECKPOINT_COLUMNS = "id, run_id, seq, label, state, created_at";

    private final JdbcStore db;

    JdbcPipelineStore(JdbcStore db) {
        this.db = db;
    }

    // ---- templates

    @Override
    public void addTemplate(PipelineTemplate t) {
        db.write(h -> h.createUpdate("INSERT INTO pipeline_templates (" + TEMPLATE_COLUMNS + ") VALUES (:id, :owner, "
                        + ":name, :description, :steps, :createdAt, :updatedAt)")
                .bindMap(templateValues(t))
                .execute());
    }

    @Override
    public boolean updateTemplate(PipelineTemplate t) {
        return db.write(h -> h.createUpdate("UPDATE pipeline_templates SET name = :name, description = :description, "
                        + "steps = :steps, updated_at = :updatedAt WHERE id = :id AND owner_id = :owner")
                .bindMap(templateValues(t))
                .execute()) > 0;
    }

    @Override
    public Optional<PipelineTemplate> findTemplate(String ownerId, String id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + TEMPLATE_COLUMNS
                        + " FROM pipeline_templates WHERE id = :id AND owner_id = :owner")
                .bind("id", id)
                .bind("owner", ownerId)
                .map(JdbcPipelineStore::template)
                .findOne());
    }

    @Override
    public List<PipelineTemplate> templates(String ownerId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + TEMPLATE_COLUMNS
                        + " FROM pipeline_templates WHERE owner_id = :owner ORDER BY name, id")
                .bind("owner", ownerId)
                .map(JdbcPipelineStore::template)
                .list());
    }

    @Override
    public boolean deleteTemplate(String ownerId, String id) {
        return db.write(h -> h.createUpdate("DELETE FROM pipeline_templates WHERE id = :id AND owner_id = :owner")
                .bind("id", id)
                .bind("owner", ownerId)
                .execute()) > 0;
    }

    // ---- runs

    @Override
    public void addRun(PipelineRun run) {
        db.write(h -> h.createUpdate("INSERT INTO pipeline_runs (" + RUN_COLUMNS + ") VALUES (:id, :owner, :template, "
                        + ":name, :steps, :inputs, :status, :state, :error, :createdAt, :updatedAt)")
                .bindMap(runValues(run))
                .execute());
    }

    @Override
    public void updateRun(PipelineRun run) {
        db.write(h -> h.createUpdate("UPDATE pipeline_runs SET status = :status, state = :state, error = :error, "
                        + "updated_at = :updatedAt WHERE id = :id AND owner_id = :owner")
                .bindMap(runValues(run))
                .execute());
    }

    @Override
    public Optional<PipelineRun> findRun(String ownerId, String id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + RUN_COLUMNS
                        + " FROM pipeline_runs WHERE id = :id AND owner_id = :owner")
                .bind("id", id)
                .bind("owner", ownerId)
                .map(JdbcPipelineStore::run)
                .findOne());
    }

    @Override
    public List<PipelineRun> runs(String ownerId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + RUN_COLUMNS
                        + " FROM pipeline_runs WHERE owner_id = :owner ORDER BY created_at DESC, id DESC")
                .bind("owner", ownerId)
                .map(JdbcPipelineStore::run)
                .list());
    }

    @Override
    public List<PipelineRun> runsInStatus(PipelineStatus status) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + RUN_COLUMNS
                        + " FROM pipeline_runs WHERE status = :status ORDER BY created_at, id")
                .bind("status", status.wireName())
                .map(JdbcPipelineStore::run)
                .list());
    }

    // ---- checkpoints

    @Override
    public void addCheckpoint(Checkpoint c) {
        db.write(h -> h.createUpdate("INSERT INTO pipeline_checkpoints (" + CHECKPOINT_COLUMNS + ") VALUES (:id, :run, "
                        + ":seq, :label, :state, :createdAt)")
                .bind("id", c.id())
                .bind("run", c.runId())
                .bind("seq", c.seq())
                .bind("label", c.label())
                .bind("state", writeState(c.state()))
                .bind("createdAt", c.createdAt().toEpochMilli())
                .execute());
    }

    @Override
    public void updateCheckpoint(Checkpoint c) {
        db.write(h -> h.createUpdate("UPDATE pipeline_checkpoints SET state = :state WHERE id = :id AND run_id = :run")
                .bind("id", c.id())
                .bind("run", c.runId())
                .bind("state", writeState(c.state()))
                .execute());
    }

    @Override
    public List<Checkpoint> checkpoints(String runId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + CHECKPOINT_COLUMNS
                        + " FROM pipeline_checkpoints WHERE run_id = :run ORDER BY seq")
                .bind("run", runId)
                .map(JdbcPipelineStore::checkpoint)
                .list());
    }

    @Override
    public void deleteCheckpointsAfter(String runId, int seq) {
        db.write(h -> h.createUpdate("DELETE FROM pipeline_checkpoints WHERE run_id = :run AND seq > :seq")
                .bind("run", runId)
                .bind("seq", seq)
                .execute());
    }

    // ---- rows

    private static Map<String, Object> templateValues(PipelineTemplate t) {
        Map<String, Object> values = new HashMap<>();
        values.put("id", t.id());
        values.put("owner", t.ownerId());
        values.put("name", t.name());
        values.put("description", t.description());
        values.put("steps", writeSteps(t.steps()));
        values.put("createdAt", t.createdAt().toEpochMilli());
        values.put("updatedAt", t.updatedAt().toEpochMilli());
        return values;
    }

    private static Map<String, Object> runValues(PipelineRun run) {
        Map<String, Object> values = new HashMap<>();
        values.put("id", run.id());
        values.put("owner", run.ownerId());
        values.put("template", run.templateId());
        values.put("name", run.name());
        values.put("steps", writeSteps(run.steps()));
        values.put("inputs", writeInputs(run.inputs()));
        values.put("status", run.status().wireName());
        values.put("state", writeState(run.state()));
        values.put("error", run.error());
        values.put("createdAt", run.createdAt().toEpochMilli());
        values.put("updatedAt", run.updatedAt().toEpochMilli());
        return values;
    }

    private static PipelineTemplate template(ResultSet rs, StatementContext ctx) throws SQLException {
        return new PipelineTemplate(rs.getString("id"), rs.getString("owner_id"), rs.getString("name"),
                rs.getString("description"), readSteps(rs.getString("steps")),
                Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")));
    }

    private static PipelineRun run(ResultSet rs, StatementContext ctx) throws SQLException {
        return new PipelineRun(rs.getString("id"), rs.getString("owner_id"), rs.getString("template_id"),
                rs.getString("name"), readSteps(rs.getString("steps")), readInputs(rs.getString("inputs")),
                PipelineStatus.of(rs.getString("status")), readState(rs.getString("state")), rs.getString("error"),
                Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")));
    }

    private static Checkpoint checkpoint(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Checkpoint(rs.getString("id"), rs.getString("run_id"), rs.getInt("seq"), rs.getString("label"),
                readState(rs.getString("state")), Instant.ofEpochMilli(rs.getLong("created_at")));
    }

    // ---- JSON columns

    static String writeSteps(List<PipelineStep> steps) {
        ArrayNode array = MAPPER.createArrayNode();
        for (PipelineStep step : steps) {
            ObjectNode node = array.addObject()
                    .put("id", step.id())
                    .put("agentId", step.agentId())
                    .put("prompt", step.prompt())
                    .put("approval", step.approval())
                    .put("retries", step.retries())
                    .put("foreach", step.foreach());
            if (step.tools() != null) {
                ArrayNode tools = node.putArray("tools");
                step.tools().forEach(tools::add);
            }
        }
        return write(array);
    }

    static List<PipelineStep> readSteps(String json) {
        List<PipelineStep> steps = new ArrayList<>();
        for (JsonNode node : read(json)) {
            List<String> tools = null;
            if (node.hasNonNull("tools")) {
                tools = new ArrayList<>();
                for (JsonNode tool : node.get("tools")) {
                    tools.add(tool.asText());
                }
            }
            steps.add(new PipelineStep(node.path("id").asText(), text(node, "agentId"), node.path("prompt").asText(),
                    tools, node.path("approval").asBoolean(), node.path("retries").asInt(), text(node, "foreach")));
        }
        return steps;
    }

    static String writeInputs(Map<String, PipelineInput> inputs) {
        ObjectNode object = MAPPER.createObjectNode();
        inputs.forEach((name, input) -> {
            switch (input) {
                case PipelineInput.Text text -> object.put(name, text.text());
                case PipelineInput.Items items -> {
                    ArrayNode array = object.putArray(name);
                    items.items().forEach(array::add);
                }
            }
        });
        return write(object);
    }

    static Map<String, PipelineInput> readInputs(String json) {
        Map<String, PipelineInput> inputs = new LinkedHashMap<>();
        read(json).fields().forEachRemaining(field -> {
            if (field.getValue().isArray()) {
                List<String> items = new ArrayList<>();
                field.getValue().forEach(item -> items.add(item.asText()));
                inputs.put(field.getKey(), new PipelineInput.Items(items));
            } else {
                inputs.put(field.getKey(), new PipelineInput.Text(field.getValue().asText()));
            }
        });
        return inputs;
    }

    static String writeState(PipelineState state) {
        ObjectNode object = MAPPER.createObjectNode()
                .put("stepIndex", state.stepIndex())
                .put("approvedStep", state.approvedStep());
        ArrayNode steps = object.putArray("steps");
        state.steps().forEach((id, progress) -> {
            ObjectNode step = steps.addObject()
                    .put("id", id)
                    .put("status", progress.status().wireName())
                    .put("output", progress.output())
                    .put("attempts", progress.attempts())
                    .put("error", progress.error());
            ArrayNode sessions = step.putArray("sessionIds");
            progress.sessionIds().forEach(sessions::add);
            if (progress.plan() != null) {
                ArrayNode plan = step.putArray("plan");
                for (PlanItem item : progress.plan()) {
                    plan.addObject()
                            .put("id", item.id())
                            .put("text", item.text())
                            .put("status", item.status().wireName())
                            .put("output", item.output())
                            .put("sessionId", item.sessionId());
                }
            }
        });
        return write(object);
    }

    static PipelineState readState(String json) {
        JsonNode object = read(json);
        Map<String, StepProgress> steps = new LinkedHashMap<>();
        for (JsonNode step : object.path("steps")) {
            List<String> sessionIds = new ArrayList<>();
            step.path("sessionIds").forEach(id -> sessionIds.add(id.asText()));
            List<PlanItem> plan = null;
            if (step.hasNonNull("plan")) {
                plan = new ArrayList<>();
                for (JsonNode item : step.get("plan")) {
                    plan.add(new PlanItem(item.path("id").asText(), item.path("text").asText(),
                            StepStatus.of(item.path("status").asText()), text(item, "output"), text(item, "sessionId")));
                }
            }
            steps.put(step.path("id").asText(), new StepProgress(StepStatus.of(step.path("status").asText()),
                    text(step, "output"), sessionIds, step.path("attempts").asInt(), text(step, "error"), plan));
        }
        return new PipelineState(object.path("stepIndex").asInt(), object.path("approvedStep").asInt(), steps);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A pipeline column cannot be written as JSON", e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored pipeline column is not JSON", e);
        }
    }
}
