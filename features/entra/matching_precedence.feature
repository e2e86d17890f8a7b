@entra
Feature: Entra matches users on each matching attribute in precedence order

  # entra-wire.md §1.0 (one GET ?filter= per matching attribute, lowest precedence first,
  # never combined; 0 results on all of them → create), §3.1 (Matching precedence)
  Scenario: with no match on either attribute the user is created
    Given an Entra ID tenant
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
      | mailNickname      | alice             |
    And "externalId" is a matching attribute with precedence 2
    And "alice" is assigned to the app
    When the provisioning cycle runs
    Then the IdP sent:
      | method | path   | query                                  |
      | GET    | /Users | filter=userName eq "{guid}"            |
      | GET    | /Users | filter=userName eq "alice@contoso.com" |
      | GET    | /Users | filter=externalId eq "alice"           |
      | POST   | /Users |                                        |
    And the responses match the snapshot

  # entra-wire.md §1.0 (the first query that returns a result wins: 1 result → link the
  # object and update it), §1.3 (Replace where the app has another value)
  Scenario: a user the app knows under another userName is linked on externalId
    Given the target already has the user "alice.old@contoso.com" with:
      | path       | value |
      | externalId | alice |
    And an Entra ID tenant
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
      | mailNickname      | alice             |
    And "externalId" is a matching attribute with precedence 2
    And "alice" is assigned to the app
    When the provisioning cycle runs
    Then the IdP sent:
      | method | path        | query                                  |
      | GET    | /Users      | filter=userName eq "{guid}"            |
      | GET    | /Users      | filter=userName eq "alice@contoso.com" |
      | GET    | /Users      | filter=externalId eq "alice"           |
      | PATCH  | /Users/{id} |                                        |
    And the last request body includes:
      """
      {"Operations": [{"op": "Replace", "path": "userName", "value": "alice@contoso.com"}]}
      """
    And the target has the user "alice" with "userName" equal to "alice@contoso.com"
    And the provisioning log has "Other" "Success" for "alice"
    And the responses match the snapshot

  # entra-wire.md §1.0 (precedence 1 is queried first, and the search stops at its hit),
  # §3.1 (matchingPriority)
  Scenario: the attribute with precedence 1 is queried first and its hit ends the search
    Given the target already has the user "alice.old@contoso.com" with:
      | path       | value |
      | externalId | alice |
    And an Entra ID tenant
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
      | mailNickname      | alice             |
    And "externalId" is a matching attribute with precedence 1
    And "userName" is a matching attribute with precedence 2
    And "alice" is assigned to the app
    When the provisioning cycle runs
    Then the IdP sent:
      | method | path        | query                        |
      | GET    | /Users      | filter=userName eq "{guid}"  |
      | GET    | /Users      | filter=externalId eq "alice" |
      | PATCH  | /Users/{id} |                              |
    And the target has the user "alice" with "userName" equal to "alice@contoso.com"
    And the responses match the snapshot

  # entra-wire.md §1.0 (a hit is linked; Entra caches the id and addresses /Users/{id} from
  # then on, without filtering again), §1.3 (read before write)
  Scenario: once linked, the user is read by id rather than matched again
    Given the target already has the user "alice@contoso.com" with:
      | path        | value |
      | displayName | Alice |
    And an Entra ID tenant
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
      | displayName       | Alice             |
    And "alice" is assigned to the app
    And the provisioning cycle runs
    When "alice"'s "displayName" is changed to "Alice Smith"
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path        |
      | GET    | /Users/{id} |
      | PATCH  | /Users/{id} |
    And the last request body includes:
      """
      {"Operations": [{"op": "Replace", "path": "displayName", "value": "Alice Smith"}]}
      """
    And the responses match the snapshot

  # entra-wire.md §1.0 (more than one result → DuplicateTargetEntries; nothing is created),
  # §4.5 (the provisioning log's error codes)
  Scenario: two users in the app with the same externalId are a DuplicateTargetEntries failure
    Given the target already has the user "alice.one@contoso.com" with:
      | path       | value |
      | externalId | alice |
    And the target already has the user "alice.two@contoso.com" with:
      | path       | value |
      | externalId | alice |
    And an Entra ID tenant
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
      | mailNickname      | alice             |
    And "externalId" is a matching attribute with precedence 1
    And "userName" is a matching attribute with precedence 2
    And "alice" is assigned to the app
    When the provisioning cycle runs
    Then the IdP sent:
      | method | path   | query                        |
      | GET    | /Users | filter=userName eq "{guid}"  |
      | GET    | /Users | filter=externalId eq "alice" |
    And the provisioning log has "Other" "Failure" for "alice" with error "DuplicateTargetEntries"
    And the target has no user "alice"
    And the responses match the snapshot
