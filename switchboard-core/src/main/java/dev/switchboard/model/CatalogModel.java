package dev.switchboard.model;

import dev.switchboard.llm.Pricing;
import java.util.List;

/**
 * One model of the bundled catalog.
 *
 * @param fileTypes what the model reads besides text: {@code pdf}, {@code image}, {@code audio}
 * @param price null when the provider's price is not known
 * @param isDefault whether this is the provider's default model
 * @param curated whether it belongs to the small set a model picker shows first
 */
public record CatalogModel(String provider, String name, String displayName, int contextWindow,
        int maxOutputTokens, List<String> fileTypes, Pricing.Price price, boolean isDefault, boolean curated) {

    public CatalogModel {
        fileTypes = List.copyOf(fileTypes);
    }
}
