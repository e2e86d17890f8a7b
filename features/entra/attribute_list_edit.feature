@entra @embedded
Feature: An edit of Entra's attribute list reaches the app on the next cycle

  # entra-wire.md §3.3 ("Edit attribute list for customappsso", vendor namespaces such as
  # urn:omni:params:1.0:UserAttribute), §1.14 (an edit of mappings starts a new initial cycle)
  Scenario: a vendor attribute added and mapped after the first cycle
    Given the target accepts the extension "urn:omni:params:1.0:UserAttribute" with:
      | attribute   | type   | multi-valued |
      | blob_entity | String |              |
    And an Entra ID tenant
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
      | mailNickname      | alice             |
      | department        | Retail            |
    And "alice" is assigned to the app
    And the provisioning cycle runs
    When the app's attribute list includes "urn:omni:params:1.0:UserAttribute:blob_entity" of type String
    And the mapping "department" -> "urn:omni:params:1.0:UserAttribute:blob_entity"
    And the provisioning cycle runs
    Then the target has the user "alice" with "urn:omni:params:1.0:UserAttribute:blob_entity" equal to "Retail"
    And the responses match the snapshot
