package org.virthooks.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.virthooks.core.DomainEvent;
import org.virthooks.core.DomainPayload;
import org.virthooks.core.DomainRef;
import org.virthooks.core.EventCategory;
import org.virthooks.core.EventStamper;
import org.virthooks.core.HardwareEvent;
import org.virthooks.core.Operation;
import org.virthooks.core.OtherEvent;
import org.virthooks.core.ProgressEvent;
import org.virthooks.core.ResourceEvent;
import org.virthooks.core.ResourceType;
import org.virthooks.core.SourceEvent;
import org.virthooks.core.SourceId;
import org.virthooks.core.VirtEvent;

/**
 * The README's schema tables are the documented contract of the JSON form, and nothing else keeps
 * them true: this test reads the repository's README.md and checks the names of every kind of
 * every enum against its Events table (Concepts) and its JSON form table, in both directions.
 *
 * <p>What it reads in the Events table's kinds cell: clauses separated by {@code ;}; every name in
 * backquotes is a kind, except that after the word {@code operations}, {@code resources} or
 * {@code status} (up to the clause's end) the names are that list instead, and the one name
 * holding {@code <} is the template {@code <operation>-<resource>}. Words outside backquotes are
 * prose. In the JSON form table, the backquoted names of an enum field's meaning cell are its
 * values.
 */
class JsonSchemaTableTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern JSON_NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
  private static final Pattern LABEL_OR_NAME =
      Pattern.compile("\\b(operations|resources|status)\\b|`([^`]+)`");
  private static final String KINDS = "kinds";
  private static final String TEMPLATES = "templates";
  private static final String TEMPLATE = "<operation>-<resource>";

  /** Per category: label (kinds, operations, resources, status, templates) to its names. */
  private static final Map<EventCategory, Map<String, List<String>>> eventsTable =
      new EnumMap<>(EventCategory.class);
  private static final Map<EventCategory, String> recordColumn = new EnumMap<>(EventCategory.class);
  /** JSON form table: field name to its row's present and meaning cells. */
  private static final Map<String, List<String>> jsonFormTable = new LinkedHashMap<>();
  /** Payload table: domain kind to its field paths, each with its enum values (none for others). */
  private static final Map<String, Map<String, List<String>>> payloadTable = new LinkedHashMap<>();

  @BeforeAll
  static void readTheReadme() throws IOException {
    // surefire runs in the module directory and says so in basedir; the README is one up
    Path basedir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    Path readme = basedir.resolve("..").resolve("README.md").toAbsolutePath().normalize();
    if (!Files.isRegularFile(readme)) {
      fail("the repository's README.md is not at " + readme
          + ": this test checks the JSON names against it and must not pass without it");
    }
    List<String> lines = Files.readAllLines(readme, StandardCharsets.UTF_8);

    List<List<String>> events = table(lines, "## Concepts", "### Events",
        List.of("record", "category", "kinds"));
    for (List<String> row : events) {
      EventCategory c = category(row.get(1));
      assertThat(eventsTable).as("README Events table lists category %s twice", c)
          .doesNotContainKey(c);
      recordColumn.put(c, row.get(0).replace("`", ""));
      eventsTable.put(c, kindsCell(row.get(2)));
    }

    List<List<String>> payloads = table(lines, "## JSON form", null,
        List.of("kind", "payload fields"));
    for (List<String> row : payloads) {
      Map<String, List<String>> paths = new LinkedHashMap<>();
      // clauses split on ';': the first backquoted name is a field path, the rest its values
      for (String clause : row.get(1).split(";")) {
        List<String> names = backquoted(clause);
        if (names.isEmpty()) {
          continue; // prose
        }
        assertThat(paths).as("README payload table, %s, field %s listed twice", row.get(0),
            names.get(0)).doesNotContainKey(names.get(0));
        paths.put(names.get(0), names.subList(1, names.size()));
      }
      payloadTable.put(row.get(0).replace("`", ""), paths);
    }

    List<List<String>> fields = table(lines, "## JSON form", null,
        List.of("field", "type", "present", "meaning"));
    for (List<String> row : fields) {
      for (String field : backquoted(row.get(0))) {
        jsonFormTable.put(field, List.of(row.get(2), row.get(3)));
      }
    }
  }

  @Test
  void theEventsTableHasOneRowPerCategoryNamingItsRecord() {
    assertThat(eventsTable.keySet()).as("categories of the README's Events table")
        .containsExactlyInAnyOrder(EventCategory.values());
    for (EventCategory c : EventCategory.values()) {
      assertThat(recordColumn.get(c)).as("record of category %s", c.jsonName())
          .isEqualTo(c.eventType().getSimpleName());
    }
  }

  @Test
  void theEventsTableListsEveryKindOfEveryCategoryAndNothingElse() {
    Map<EventCategory, Map<String, List<String>>> code = new EnumMap<>(EventCategory.class);
    code.put(EventCategory.DOMAIN,
        Map.of(KINDS, names(DomainEvent.Kind.values(), DomainEvent.Kind::jsonName)));
    code.put(EventCategory.HARDWARE,
        Map.of(KINDS, names(HardwareEvent.Kind.values(), HardwareEvent.Kind::jsonName)));
    code.put(EventCategory.PROGRESS, Map.of(
        KINDS, names(ProgressEvent.Kind.values(), ProgressEvent.Kind::jsonName),
        "status", names(ProgressEvent.Status.values(), ProgressEvent.Status::jsonName)));
    // a resource kind is operation-resource, or other when either part is other
    code.put(EventCategory.RESOURCE, Map.of(
        KINDS, List.of("other"),
        TEMPLATES, List.of(TEMPLATE),
        "operations", names(Operation.values(), Operation::jsonName, Operation.OTHER),
        "resources", names(ResourceType.values(), ResourceType::jsonName, ResourceType.OTHER)));
    code.put(EventCategory.SOURCE,
        Map.of(KINDS, names(SourceEvent.Kind.values(), SourceEvent.Kind::jsonName)));
    code.put(EventCategory.OTHER, Map.of(KINDS, List.of("other")));

    for (EventCategory c : EventCategory.values()) {
      Map<String, List<String>> readme = eventsTable.getOrDefault(c, Map.of());
      Set<String> labels = new TreeSet<>(readme.keySet());
      labels.addAll(code.get(c).keySet());
      for (String label : labels) {
        List<String> documented = readme.getOrDefault(label, List.of());
        assertThat(documented).as("README Events table, %s %s, listed twice", c.jsonName(), label)
            .doesNotHaveDuplicates();
        assertThat(documented)
            .as("README Events table, %s %s (left) against the code (right)", c.jsonName(), label)
            .containsExactlyInAnyOrderElementsOf(code.get(c).getOrDefault(label, List.of()));
      }
    }
  }

  @Test
  void theJsonFormTableListsEveryValueOfEveryEnumField() {
    assertThat(meaningNames("category")).as("README JSON form, category")
        .containsExactlyInAnyOrderElementsOf(
            names(EventCategory.values(), EventCategory::jsonName));
    assertThat(meaningNames("operation")).as("README JSON form, operation")
        .containsExactlyInAnyOrderElementsOf(names(Operation.values(), Operation::jsonName));
    assertThat(meaningNames("status")).as("README JSON form, status")
        .containsExactlyInAnyOrderElementsOf(
            names(ProgressEvent.Status.values(), ProgressEvent.Status::jsonName));
    // the resource row adds what the Events table cannot list: a resource no kind is made of
    List<String> resources = new ArrayList<>(meaningNames("resource"));
    resources.addAll(eventsTable.get(EventCategory.RESOURCE).getOrDefault("resources", List.of()));
    assertThat(resources).as("README resources of the Events table and the JSON form's resource")
        .containsExactlyInAnyOrderElementsOf(
            names(ResourceType.values(), ResourceType::jsonName));
    List<String> kindExamples = new ArrayList<>(meaningNames("kind"));
    kindExamples.remove("-"); // the row names the separator too
    assertThat(renderedKinds().values().stream().flatMap(Set::stream))
        .as("README JSON form, kind examples, must be kinds")
        .containsAll(kindExamples);
    Set<String> present = new TreeSet<>(Set.of("always", "when any"));
    present.addAll(names(EventCategory.values(), EventCategory::jsonName));
    for (Map.Entry<String, List<String>> f : jsonFormTable.entrySet()) {
      for (String word : f.getValue().get(0).split(",")) {
        assertThat(word.trim()).as("README JSON form, present column of %s", f.getKey())
            .isIn(present);
      }
    }
  }

  @Test
  void everyRenderedEventCarriesNamesTheReadmeLists() {
    Map<EventCategory, Set<String>> rendered = renderedKinds();
    for (EventCategory c : EventCategory.values()) {
      assertThat(rendered.get(c)).as("kinds EventJson renders for %s (left) against the README's",
          c.jsonName()).containsExactlyInAnyOrderElementsOf(documentedKinds(c));
    }
  }

  @Test
  void everyJsonNameInCodeAndReadmeIsLowerCaseAndHyphenated() {
    List<String> code = new ArrayList<>();
    code.addAll(names(DomainEvent.Kind.values(), DomainEvent.Kind::jsonName));
    code.addAll(names(HardwareEvent.Kind.values(), HardwareEvent.Kind::jsonName));
    code.addAll(names(ProgressEvent.Kind.values(), ProgressEvent.Kind::jsonName));
    code.addAll(names(ProgressEvent.Status.values(), ProgressEvent.Status::jsonName));
    code.addAll(names(SourceEvent.Kind.values(), SourceEvent.Kind::jsonName));
    code.addAll(names(Operation.values(), Operation::jsonName));
    code.addAll(names(ResourceType.values(), ResourceType::jsonName));
    code.addAll(names(EventCategory.values(), EventCategory::jsonName));
    assertThat(code).allSatisfy(n -> assertThat(n).matches(JSON_NAME));
    List<String> readme = eventsTable.values().stream().flatMap(m -> m.entrySet().stream())
        .filter(e -> !e.getKey().equals(TEMPLATES)).flatMap(e -> e.getValue().stream())
        .collect(Collectors.toList());
    assertThat(readme).isNotEmpty().allSatisfy(n -> assertThat(n).matches(JSON_NAME));
  }

  @Test
  void thePayloadTableDocumentsEveryFieldAndEnumValueOfEveryPayload() throws IOException {
    List<DomainPayload> samples = PayloadSamples.all();
    assertThat(samples.stream().map(Object::getClass).collect(Collectors.toSet()))
        .as("a sample of every payload record")
        .containsExactlyInAnyOrder(DomainPayload.class.getPermittedSubclasses());
    Map<String, Map<String, List<String>>> code = new LinkedHashMap<>();
    for (DomainPayload p : samples) {
      Map<String, List<String>> paths = new LinkedHashMap<>();
      fieldPaths(p.getClass(), "", paths);
      code.put(p.kind().jsonName(), paths);
      // what EventJson writes for a sample with every optional field present
      DomainEvent e = DomainEvent.of(new EventStamper(SourceId.of("test", "readme")).next("x"),
          DomainRef.of("g"), p, null);
      Set<String> rendered = new TreeSet<>();
      leafPaths(JSON.readTree(EventJson.toJson(e)).get("payload"), "", rendered);
      assertThat(rendered).as("fields EventJson writes for a full %s payload (left) against the"
          + " record's components", p.kind().jsonName())
          .containsExactlyInAnyOrderElementsOf(paths.keySet());
    }
    assertThat(payloadTable.keySet()).as("kinds of the README payload table")
        .containsExactlyInAnyOrderElementsOf(code.keySet());
    for (Map.Entry<String, Map<String, List<String>>> k : code.entrySet()) {
      Map<String, List<String>> documented = payloadTable.get(k.getKey());
      assertThat(documented.keySet()).as("README payload fields of %s (left) against the code",
          k.getKey()).containsExactlyInAnyOrderElementsOf(k.getValue().keySet());
      for (Map.Entry<String, List<String>> f : k.getValue().entrySet()) {
        assertThat(documented.get(f.getKey())).as("README values of %s %s (left) against the code",
            k.getKey(), f.getKey()).containsExactlyInAnyOrderElementsOf(f.getValue());
      }
    }
    assertThat(payloadTable.values().stream().flatMap(m -> m.values().stream())
        .flatMap(List::stream)).allSatisfy(n -> assertThat(n).matches(JSON_NAME));
  }

  /**
   * The JSON field paths of a payload record, read from its components: an Optional is its
   * content, a list or set {@code name[]}, a nested record {@code name.field}; an enum's values are
   * its JSON names.
   */
  private static void fieldPaths(Class<?> record, String prefix, Map<String, List<String>> out) {
    for (java.lang.reflect.RecordComponent c : record.getRecordComponents()) {
      String path = prefix + c.getName();
      java.lang.reflect.Type t = c.getGenericType();
      Class<?> raw = rawClass(t);
      if (raw == Optional.class) {
        t = typeArgument(t);
        raw = rawClass(t);
      } else if (raw == List.class || raw == Set.class) {
        t = typeArgument(t);
        raw = rawClass(t);
        path += "[]";
      }
      if (raw.isRecord()) {
        fieldPaths(raw, path + ".", out);
      } else if (raw.isEnum()) {
        List<String> values = new ArrayList<>();
        for (Object v : raw.getEnumConstants()) {
          try {
            values.add((String) raw.getMethod("jsonName").invoke(v));
          } catch (ReflectiveOperationException x) {
            throw new AssertionError(raw + " has no jsonName()", x);
          }
        }
        out.put(path, values);
      } else {
        out.put(path, List.of());
      }
    }
  }

  private static Class<?> rawClass(java.lang.reflect.Type t) {
    return t instanceof java.lang.reflect.ParameterizedType p ? (Class<?>) p.getRawType()
        : (Class<?>) t;
  }

  private static java.lang.reflect.Type typeArgument(java.lang.reflect.Type t) {
    return ((java.lang.reflect.ParameterizedType) t).getActualTypeArguments()[0];
  }

  private static void leafPaths(JsonNode n, String path, Set<String> out) {
    if (n.isObject()) {
      n.fields().forEachRemaining(f -> leafPaths(f.getValue(),
          path.isEmpty() ? f.getKey() : path + "." + f.getKey(), out));
    } else if (n.isArray()) {
      assertThat(n).as("sample array %s must not be empty, or its fields go unchecked", path)
          .isNotEmpty();
      n.forEach(x -> leafPaths(x, path + "[]", out));
    } else {
      out.add(path);
    }
  }

  /** Every kind the README documents for {@code c}, the resource template spelled out. */
  private static Set<String> documentedKinds(EventCategory c) {
    Map<String, List<String>> row = eventsTable.getOrDefault(c, Map.of());
    Set<String> kinds = new TreeSet<>(row.getOrDefault(KINDS, List.of()));
    if (row.getOrDefault(TEMPLATES, List.of()).contains(TEMPLATE)) {
      for (String op : row.getOrDefault("operations", List.of())) {
        for (String res : row.getOrDefault("resources", List.of())) {
          kinds.add(op + "-" + res);
        }
      }
    }
    return kinds;
  }

  /** The category and kind EventJson writes for an event of every kind of every category. */
  private static Map<EventCategory, Set<String>> renderedKinds() {
    EventStamper s = new EventStamper(SourceId.of("test", "readme"),
        Clock.fixed(Instant.parse("2026-11-21T10:15:30Z"), ZoneOffset.UTC));
    DomainRef d = DomainRef.of("ldg1");
    List<VirtEvent> events = new ArrayList<>();
    for (DomainEvent.Kind k : DomainEvent.Kind.values()) {
      events.add(DomainEvent.of(s.next("x"), d, k));
    }
    for (HardwareEvent.Kind k : HardwareEvent.Kind.values()) {
      events.add(new HardwareEvent(s.next("x"), k, Operation.ADD, Optional.empty(),
          Optional.empty()));
    }
    for (ProgressEvent.Kind k : ProgressEvent.Kind.values()) {
      events.add(new ProgressEvent(s.next("x"), Optional.of(d), k, OptionalInt.empty(),
          ProgressEvent.Status.ONGOING, Optional.empty()));
    }
    for (Operation op : Operation.values()) {
      for (ResourceType r : ResourceType.values()) {
        events.add(ResourceEvent.of(s.next("x"), d, op, r));
      }
    }
    for (SourceEvent.Kind k : SourceEvent.Kind.values()) {
      events.add(SourceEvent.of(s.next("x"), k, null));
    }
    events.add(new OtherEvent(s.next("x"), Optional.empty()));

    Map<EventCategory, Set<String>> kinds = new EnumMap<>(EventCategory.class);
    for (VirtEvent e : events) {
      JsonNode n;
      try {
        n = JSON.readTree(EventJson.toJson(e));
      } catch (IOException x) {
        throw new AssertionError(x);
      }
      EventCategory c = category(n.get("category").asText());
      assertThat(c).isEqualTo(e.category());
      kinds.computeIfAbsent(c, k -> new TreeSet<>()).add(n.get("kind").asText());
    }
    return kinds;
  }

  private static List<String> meaningNames(String field) {
    List<String> row = jsonFormTable.get(field);
    assertThat(row).as("README JSON form table has a row for field '%s'", field).isNotNull();
    List<String> names = backquoted(row.get(1));
    assertThat(names).as("README JSON form, %s, listed twice", field).doesNotHaveDuplicates();
    return names;
  }

  private static EventCategory category(String jsonName) {
    for (EventCategory c : EventCategory.values()) {
      if (c.jsonName().equals(jsonName.trim())) {
        return c;
      }
    }
    throw new AssertionError("'" + jsonName + "' is no category's JSON name");
  }

  /** Reads the Events table's kinds cell as the class javadoc says. */
  private static Map<String, List<String>> kindsCell(String cell) {
    Map<String, List<String>> labelled = new LinkedHashMap<>();
    for (String clause : cell.split(";")) {
      String label = KINDS;
      Matcher m = LABEL_OR_NAME.matcher(clause);
      while (m.find()) {
        if (m.group(1) != null) {
          label = m.group(1);
        } else {
          String name = m.group(2);
          labelled.computeIfAbsent(name.contains("<") ? TEMPLATES : label,
              k -> new ArrayList<>()).add(name);
        }
      }
    }
    return labelled;
  }

  private static List<String> backquoted(String cell) {
    List<String> names = new ArrayList<>();
    Matcher m = Pattern.compile("`([^`]+)`").matcher(cell);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /**
   * The rows (cells trimmed, header and rule left out) of the first table under {@code section},
   * or under {@code subsection} within it; fails when either heading, the table or its expected
   * header is missing, since then there would be nothing to check.
   */
  private static List<List<String>> table(List<String> lines, String section, String subsection,
      List<String> header) {
    int i = lines.indexOf(section);
    assertThat(i).as("README heading '%s'", section).isNotNegative();
    int end = i + 1;
    while (end < lines.size() && !lines.get(end).startsWith("## ")) {
      end++;
    }
    if (subsection != null) {
      int j = lines.subList(i, end).indexOf(subsection);
      assertThat(j).as("README heading '%s' under '%s'", subsection, section).isNotNegative();
      i += j;
      int subEnd = i + 1;
      while (subEnd < end && !lines.get(subEnd).startsWith("### ")) {
        subEnd++;
      }
      end = subEnd;
    }
    // the section's table with this header: a section may hold several
    String headerLine = "| " + String.join(" | ", header) + " |";
    int start = i;
    while (start < end && !lines.get(start).trim().equals(headerLine)) {
      start++;
    }
    List<List<String>> rows = new ArrayList<>();
    for (int k = start; k < end && lines.get(k).startsWith("|"); k++) {
      String line = lines.get(k).trim();
      List<String> cells = Arrays.stream(line.substring(1, line.length() - 1).split("\\|", -1))
          .map(String::trim).collect(Collectors.toList());
      if (cells.stream().allMatch(c -> c.matches(":?-+:?"))) {
        continue;
      }
      rows.add(cells);
    }
    assertThat(rows).as("table under README '%s'", subsection == null ? section : subsection)
        .isNotEmpty();
    assertThat(rows.get(0)).as("header of the table under '%s'", section).isEqualTo(header);
    for (List<String> row : rows) {
      assertThat(row).as("cells of README row %s", row).hasSameSizeAs(header);
    }
    return rows.subList(1, rows.size());
  }

  private static <E extends Enum<E>> List<String> names(E[] values, Function<E, String> jsonName) {
    return Arrays.stream(values).map(jsonName).collect(Collectors.toList());
  }

  private static <E extends Enum<E>> List<String> names(E[] values, Function<E, String> jsonName,
      E without) {
    return Arrays.stream(values).filter(v -> v != without).map(jsonName)
        .collect(Collectors.toList());
  }
}
