package dev.shopmesh.platform.db;

import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A statement with named parameters ({@code #{name}}, as Vert.x's {@code SqlTemplate} writes them),
 * parsed once, when its constant is created, for both drivers: {@code ?} for JDBC, {@code $1} for
 * PostgreSQL. Run it with {@link Database#execute}. {@code SqlTemplate.forQuery(client, sql)} parses
 * its text with regular expressions on every call, 7 % of the mesh's CPU in a profile of the order path.
 */
public final class Sql {

  private static final Pattern PARAMETER = Pattern.compile("#\\{(\\w+)}");

  private final String jdbc;
  private final String[] jdbcNames;
  private final String numbered;
  private final String[] numberedNames;

  public Sql(String template) {
    List<String> jdbcNames = new ArrayList<>();
    List<String> numberedNames = new ArrayList<>();
    StringBuilder jdbc = new StringBuilder();
    StringBuilder numbered = new StringBuilder();
    Matcher m = PARAMETER.matcher(template);
    int from = 0;
    while (m.find()) {
      jdbc.append(template, from, m.start()).append('?');
      numbered.append(template, from, m.start());
      String name = m.group(1);
      jdbcNames.add(name);
      // PostgreSQL numbers its parameters, so a name used twice is one parameter.
      if (!numberedNames.contains(name)) {
        numberedNames.add(name);
      }
      numbered.append('$').append(numberedNames.indexOf(name) + 1);
      from = m.end();
    }
    this.jdbc = jdbc.append(template, from, template.length()).toString();
    this.numbered = numbered.append(template, from, template.length()).toString();
    this.jdbcNames = jdbcNames.toArray(String[]::new);
    this.numberedNames = numberedNames.toArray(String[]::new);
  }

  /** The statement's text for PostgreSQL ({@code numbered}) or JDBC. */
  String text(boolean numbered) {
    return numbered ? this.numbered : jdbc;
  }

  /** The parameters in the order {@link #text} takes them. */
  Tuple tuple(boolean numbered, Map<String, Object> params) {
    String[] names = numbered ? numberedNames : jdbcNames;
    Object[] values = new Object[names.length];
    for (int i = 0; i < values.length; i++) {
      if (!params.containsKey(names[i])) {
        throw new IllegalArgumentException("no value for #{" + names[i] + "} in: " + jdbc);
      }
      values[i] = params.get(names[i]);
    }
    return Tuple.wrap(values);
  }

  @Override
  public String toString() {
    return jdbc;
  }
}
