package dev.shopmesh.catalog.product;

import java.util.List;

/** The dozen products an empty catalog starts with. */
public final class Seeds {

  private static final int STOCK = 1_000;

  public static final List<Product> PRODUCTS = List.of(
    new Product("sunglasses", "Sunglasses", "Add a modern touch to your outfits.", 1999, "USD", STOCK),
    new Product("tank-top", "Tank Top", "Perfectly cropped cotton tank.", 1899, "USD", STOCK),
    new Product("watch", "Watch", "This gold-tone stainless steel watch will work with most outfits.", 10999, "USD", STOCK),
    new Product("loafers", "Loafers", "A neat addition to your summer wardrobe.", 8999, "USD", STOCK),
    new Product("hairdryer", "Hairdryer", "Professional 1875 W hairdryer.", 2499, "USD", STOCK),
    new Product("candle-holder", "Candle Holder", "Elegant glass candle holder.", 1895, "USD", STOCK),
    new Product("salt-pepper", "Salt & Pepper Shakers", "Easily season and serve.", 1849, "USD", STOCK),
    new Product("bamboo-jar", "Bamboo Glass Jar", "Bamboo lid glass jar, 50 oz.", 599, "USD", STOCK),
    new Product("mug", "Mug", "A simple mug with a mustard interior.", 899, "USD", STOCK),
    new Product("espresso-cups", "Espresso Cups", "Set of four porcelain espresso cups.", 2450, "USD", STOCK),
    new Product("notebook", "Notebook", "Dotted A5 notebook, 192 pages.", 1250, "USD", STOCK),
    new Product("backpack", "Backpack", "Waterproof 20 L roll-top backpack.", 7900, "USD", STOCK));

  private Seeds() {
  }
}
