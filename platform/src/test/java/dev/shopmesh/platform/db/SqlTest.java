package dev.shopmesh.platform.db;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Named parameters become each driver's placeholders, once, in the order the driver takes them. */
class SqlTest {

  final Sql sql = new Sql("UPDATE t SET stock = stock - #{quantity} WHERE id = #{id} AND stock >= #{quantity}");

  @Test
  void jdbcTakesOnePlaceholderPerOccurrence() {
    assertThat(sql.text(false)).isEqualTo("UPDATE t SET stock = stock - ? WHERE id = ? AND stock >= ?");
    assertThat(sql.tuple(false, Map.of("quantity", 2, "id", "p1")).deepToString()).isEqualTo("[2,p1,2]");
  }

  @Test
  void postgresNumbersEachNameOnce() {
    assertThat(sql.text(true)).isEqualTo("UPDATE t SET stock = stock - $1 WHERE id = $2 AND stock >= $1");
    assertThat(sql.tuple(true, Map.of("quantity", 2, "id", "p1")).deepToString()).isEqualTo("[2,p1]");
  }

  @Test
  void aMissingValueIsNamed() {
    assertThatThrownBy(() -> sql.tuple(false, Map.of("quantity", 2)))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("#{id}");
  }
}
