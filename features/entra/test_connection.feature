@entra
Feature: Test Connection checks the Tenant URL and Secret Token before provisioning

  # entra-wire.md §1.1 (the Test Connection button: a filter on a random userName that must
  # answer 200 with an empty ListResponse), §0 (filters form-encoded, bearer token)
  Scenario: the connection test queries a random userName and succeeds on an empty list
    Given an Entra ID tenant
    When the connection is tested
    Then the connection test succeeds
    And the IdP sent:
      | method | path   | query                       |
      | GET    | /Users | filter=userName eq "{guid}" |
    And the responses match the snapshot

  # entra-wire.md §1.1 ("and the start of each run": the first cycle opens with the probe),
  # §1.0 (then the match query on userName), §1.2 (create)
  Scenario: the first cycle tests the connection before it matches and creates
    Given an Entra ID tenant
    And the user "alice" with:
      | attribute         | value             |
      | userPrincipalName | alice@contoso.com |
    And "alice" is assigned to the app
    When the provisioning cycle runs
    Then the IdP sent:
      | method | path   | query                                  |
      | GET    | /Users | filter=userName eq "{guid}"            |
      | GET    | /Users | filter=userName eq "alice@contoso.com" |
      | POST   | /Users |                                        |
    And the responses match the snapshot

  # entra-wire.md §1.1 (the flag changes no query: the probe is the same under
  # aadOptscim062020), §0 (Entra strips its own switches from the Tenant URL)
  Scenario: the connection test is the same with the aadOptscim062020 flag
    Given an Entra ID tenant with the aadOptscim062020 flag
    When the connection is tested
    Then the connection test succeeds
    And the IdP sent:
      | method | path   | query                       |
      | GET    | /Users | filter=userName eq "{guid}" |
    And the responses match the snapshot

  # entra-wire.md §1.1 (401 or 403 → the portal shows an invalid-credentials error),
  # §0 (the token is sent exactly as the admin pasted it)
  Scenario: a wrong Secret Token fails the connection test
    Given an Entra ID tenant with the Secret Token "not-the-token"
    When the connection is tested
    Then the connection test fails saying "Unauthorized"
    And the IdP sent:
      | method | path   | query                       |
      | GET    | /Users | filter=userName eq "{guid}" |
    And the responses match the snapshot
