package dev.switchboard.model;

import dev.switchboard.llm.Pricing;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The providers and models bundled with the server ({@code catalog.tsv} beside this class): context windows, output
 * limits, the file types each model reads and list prices as of {@link #pricesAsOf()}. Never refreshed from the
 * network, so the server runs offline.
 */
public final class ModelCatalog {

    /** File types a model may read besides text. */
    public static final List<String> FILE_TYPES = List.of("pdf", "image", "audio");

    private static final ModelCatalog BUNDLED = load();

    private final LocalDate pricesAsOf;
    private final Map<String, String> providers;
    private final List<CatalogModel> models;

    private ModelCatalog(LocalDate pricesAsOf, Map<String, String> providers, List<CatalogModel> models) {
        this.pricesAsOf = pricesAsOf;
        this.providers = java.util.Collections.unmodifiableMap(providers);
        this.models = List.copyOf(models);
    }

    /** The catalog that ships inside the server. */
    public static ModelCatalog bundled() {
        return BUNDLED;
    }

    /** The day the bundled prices were taken from the providers' price lists. */
    public LocalDate pricesAsOf() {
        return pricesAsOf;
    }

    /** Provider id to display name, in catalog order. */
    public Map<String, String> providers() {
        return providers;
    }

    /** Every model, grouped by provider in catalog order. */
    public List<CatalogModel> models() {
        return models;
    }

    public Optional<CatalogModel> find(String provider, String name) {
        return models.stream().filter(m -> m.provider().equals(provider) && m.name().equals(name)).findFirst();
    }

    /** The provider's default model, if the catalog names one. */
    public Optional<CatalogModel> defaultOf(String provider) {
        return models.stream().filter(m -> m.provider().equals(provider) && m.isDefault()).findFirst();
    }

    /**
     * The model a name most likely means, whatever the provider: an exact name, the part after a gateway's
     * {@code vendor/} prefix, or the longest catalog name the given one extends with a dated suffix
     * ({@code gpt-4o-2024-08-06} is {@code gpt-4o}).
     */
    public Optional<CatalogModel> match(String model) {
        if (model == null || model.isBlank()) {
            return Optional.empty();
        }
        String name = model.contains("/") ? model.substring(model.lastIndexOf('/') + 1) : model;
        CatalogModel best = null;
        for (CatalogModel m : models) {
            String known = m.name().contains("/") ? m.name().substring(m.name().lastIndexOf('/') + 1) : m.name();
            if (m.name().equals(model) || known.equals(name)) {
                return Optional.of(m);
            }
            if (name.startsWith(known + "-") && (best == null || known.length() > bareName(best).length())) {
                best = m;
            }
        }
        return Optional.ofNullable(best);
    }

    private static String bareName(CatalogModel m) {
        return m.name().contains("/") ? m.name().substring(m.name().lastIndexOf('/') + 1) : m.name();
    }

    private static ModelCatalog load() {
        try (InputStream in = ModelCatalog.class.getResourceAsStream("catalog.tsv")) {
            if (in == null) {
                throw new IllegalStateException("The bundled model catalog is missing from the class path");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ModelCatalog parse(List<String> lines) {
        LocalDate asOf = null;
        Map<String, String> providers = new LinkedHashMap<>();
        List<CatalogModel> models = new ArrayList<>();
        int number = 0;
        for (String line : lines) {
            number++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split("\t", -1);
            switch (cells[0]) {
                case "pricesAsOf" -> asOf = LocalDate.parse(cells[1]);
                case "provider" -> providers.put(cells[1], cells[2]);
                case "model" -> {
                    if (cells.length != 13 || !providers.containsKey(cells[1])) {
                        throw new IllegalStateException("Bad model catalog line " + number + ": " + line);
                    }
                    Pricing.Price price = cells[7].isEmpty() ? null : new Pricing.Price(number(cells[7]),
                            number(cells[8]), number(cells[9]), number(cells[10]));
                    models.add(new CatalogModel(cells[1], cells[2], cells[3], Integer.parseInt(cells[4]),
                            Integer.parseInt(cells[5]), cells[6].isEmpty() ? List.of()
                                    : Arrays.asList(cells[6].split(",")),
                            price, "y".equals(cells[11]), "y".equals(cells[12])));
                }
                default -> throw new IllegalStateException("Bad model catalog line " + number + ": " + line);
            }
        }
        if (asOf == null) {
            throw new IllegalStateException("The model catalog does not say when its prices were taken");
        }
        return new ModelCatalog(asOf, providers, models);
    }

    private static double number(String cell) {
        return cell.isEmpty() ? 0 : Double.parseDouble(cell);
    }
}
