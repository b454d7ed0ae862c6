package dev.switchboard.model;

import java.util.List;
import java.util.Optional;

/** Where model switches, custom models, the model registry and topic routes are kept. */
public interface ModelStore {

    /** Whose model a choice sets. */
    enum Scope { AGENT, SESSION }

    Optional<ModelChoice> choice(Scope scope, String subjectId);

    void saveChoice(Scope scope, String subjectId, ModelChoice choice);

    boolean deleteChoice(Scope scope, String subjectId);

    List<CustomModel> customModels();

    Optional<CustomModel> customModel(String name);

    /** Adds or replaces the custom model of that name. */
    void saveCustomModel(CustomModel model);

    boolean deleteCustomModel(String name);

    List<RegisteredModel> registered();

    Optional<RegisteredModel> registered(String name);

    /** Stores a new registered model; {@link dev.switchboard.failure.ConflictException} when the name is taken. */
    void register(RegisteredModel model);

    /** Replaces a registered model; false when there is none of that name. */
    boolean updateRegistered(RegisteredModel model);

    boolean deleteRegistered(String name);

    List<TopicRoute> routes();

    Optional<TopicRoute> route(String topic);

    void saveRoute(TopicRoute route);

    boolean deleteRoute(String topic);
}
