package offhours.stack;

import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * A DynamoDB table billed on demand; every key attribute is a string (S). The stack's tables are
 * {@link StackSpec#RESULTS_TABLE} and {@link StackSpec#CONTROL_TABLE}.
 */
public record TableSchema(String partitionKey, String sortKey, List<Index> indexes) {
  public TableSchema {
    Objects.requireNonNull(partitionKey, "partitionKey");
    Objects.requireNonNull(sortKey, "sortKey");
    indexes = List.copyOf(indexes);
  }

  /** A global secondary index with projection ALL; every key attribute is a string. */
  public record Index(String name, String partitionKey, String sortKey) {
    public Index {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(partitionKey, "partitionKey");
      Objects.requireNonNull(sortKey, "sortKey");
    }
  }

  /** Every attribute that appears in a key of the table or its indexes, in declaration order. */
  public List<String> keyAttributes() {
    var names = new java.util.LinkedHashSet<String>(List.of(partitionKey, sortKey));
    indexes.forEach(i -> {
      names.add(i.partitionKey());
      names.add(i.sortKey());
    });
    return List.copyOf(names);
  }

  /** The CreateTable request of this table (local mode and tests; template.yaml declares the same). */
  public CreateTableRequest createTableRequest(String tableName) {
    CreateTableRequest.Builder request = CreateTableRequest.builder()
        .tableName(tableName)
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(attributeDefinitions())
        .keySchema(key(partitionKey, KeyType.HASH), key(sortKey, KeyType.RANGE));
    if (!indexes.isEmpty()) {
      request.globalSecondaryIndexes(
          indexes.stream().map(TableSchema::globalSecondaryIndex).toList());
    }
    return request.build();
  }

  /** The definitions of every key attribute, as CreateTable and UpdateTable take them. */
  public List<AttributeDefinition> attributeDefinitions() {
    return keyAttributes().stream()
        .map(a -> AttributeDefinition.builder()
            .attributeName(a)
            .attributeType(ScalarAttributeType.S)
            .build())
        .toList();
  }

  /** The index as CreateTable (or UpdateTable, adding it to an older table) declares it. */
  public static GlobalSecondaryIndex globalSecondaryIndex(Index index) {
    return GlobalSecondaryIndex.builder()
        .indexName(index.name())
        .keySchema(key(index.partitionKey(), KeyType.HASH), key(index.sortKey(), KeyType.RANGE))
        .projection(p -> p.projectionType(ProjectionType.ALL))
        .build();
  }

  private static KeySchemaElement key(String attribute, KeyType type) {
    return KeySchemaElement.builder().attributeName(attribute).keyType(type).build();
  }
}
