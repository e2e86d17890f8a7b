@entra
Feature: A value cleared in Entra is not sent; the app keeps the old one

  # entra-wire.md §1.4 (outbound SCIM provisioning does not propagate a cleared value: no
  # Remove, no Replace with "" or null), §1.3 (the linked user is still read)
  Scenario Outline: a cleared department sends nothing in the <dialect> dialect
    Given an Entra ID tenant in the <dialect> dialect
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
      | department        | Retail            |
    And "alice" is assigned to the app
    And the provisioning cycle runs
    When "alice"'s "department" is cleared
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path        |
      | GET    | /Users/{id} |
    And the target has the user "alice" with "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department" equal to "Retail"
    And the responses match the snapshot

    Examples:
      | dialect          |
      | legacy           |
      | aadOptscim062020 |

  # entra-wire.md §1.4 (an empty string is no value either)
  Scenario: a job title changed to an empty string sends nothing
    Given an Entra ID tenant
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
      | jobTitle          | Buyer             |
    And "alice" is assigned to the app
    And the provisioning cycle runs
    When "alice"'s "jobTitle" is changed to ""
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path        |
      | GET    | /Users/{id} |
    And the target has the user "alice" with "title" equal to "Buyer"
    And the responses match the snapshot

  # entra-wire.md §1.4 (only the cleared attribute is dropped), §1.3 (the other change is a
  # Replace of its own)
  Scenario: a value cleared together with another change leaves only the other in the PATCH
    Given an Entra ID tenant
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
      | department        | Retail            |
      | jobTitle          | Buyer             |
    And "alice" is assigned to the app
    And the provisioning cycle runs
    When "alice"'s "department" is cleared
    And "alice"'s "jobTitle" is changed to "Lead Buyer"
    And the provisioning cycle runs
    Then the IdP sent:
      | method | path        |
      | GET    | /Users/{id} |
      | PATCH  | /Users/{id} |
    And the last request body includes:
      """
      {"Operations": [{"op": "Replace", "path": "title", "value": "Lead Buyer"}]}
      """
    And the target has the user "alice" with "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department" equal to "Retail"
    And the target has the user "alice" with "title" equal to "Lead Buyer"
    And the responses match the snapshot
