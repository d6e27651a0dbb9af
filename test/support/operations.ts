// GraphQL documents the lifecycle tests share.
export const EVENT = /* GraphQL */ `timestamp sessionId interactionId applicationType { id name } applicationId resourceType { id name } resourceId mediaType { id name }`;

export const SERVICE_FIELDS = /* GraphQL */ `
  id serviceId customerId contactKey anonymous status estDuration duration
  serviceType { id name } disposition { id name } dispositionDesc
  started { ${EVENT} } completed { ${EVENT} } extensions
`;
export const STATE_FIELDS = /* GraphQL */ `
  id stateId serviceId previousStateId status estDuration duration stateType { id name }
  disposition { id name } dispositionDesc started { ${EVENT} } completed { ${EVENT} } extensions
`;
export const TASK_FIELDS = /* GraphQL */ `
  id taskId serviceId stateId status estDuration duration taskType { id name }
  disposition { id name } dispositionDesc started { ${EVENT} } completed { ${EVENT} } extensions
`;

export const START_SERVICE = `mutation($input: StartServiceInput!) { startService(input: $input) { service { ${SERVICE_FIELDS} } } }`;
export const ASSOCIATE_SERVICE = `mutation($input: AssociateServiceInput!) { associateService(input: $input) { service { ${SERVICE_FIELDS} } } }`;
export const COMPLETE_SERVICE = `mutation($input: CompleteServiceInput!) { completeService(input: $input) { service { ${SERVICE_FIELDS} } } }`;
export const START_STATE = `mutation($input: StartStateInput!) { startState(input: $input) { state { ${STATE_FIELDS} } } }`;
export const COMPLETE_STATE = `mutation($input: CompleteStateInput!) { completeState(input: $input) { state { ${STATE_FIELDS} } } }`;
export const TRANSITION_STATE = `mutation($input: TransitionStateInput!) { transitionState(input: $input) { completed { ${STATE_FIELDS} } started { ${STATE_FIELDS} } } }`;
export const START_TASK = `mutation($input: StartTaskInput!) { startTask(input: $input) { task { ${TASK_FIELDS} } } }`;
export const COMPLETE_TASK = `mutation($input: CompleteTaskInput!) { completeTask(input: $input) { task { ${TASK_FIELDS} } } }`;

/** Counts rows of the lifecycle tables, to prove a failed request wrote nothing. */
export const COUNT_ROWS = `SELECT (SELECT count(*) FROM customer)::int AS customers, (SELECT count(*) FROM service)::int AS services,
  (SELECT count(*) FROM state)::int AS states, (SELECT count(*) FROM task)::int AS tasks,
  (SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM (SELECT * FROM service) t) AS service_digest,
  (SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM (SELECT * FROM state) t) AS state_digest,
  (SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM (SELECT * FROM task) t) AS task_digest`;

// What an agent desktop asks when a customer calls: the customer, a page of services, their
// states and tasks (default page sizes), extensions and links back up at every level.
export const AGENT_DESKTOP = /* GraphQL */ `
  query AgentDesktop($c: String!, $services: Int) {
    customer(customerId: $c) {
      customerId attributes extensions
      services(first: $services) {
        totalCount
        edges {
          cursor
          node {
            serviceId status extensions serviceType { id name } started { timestamp sessionId } customer { customerId }
            states { nodes { stateId status extensions service { serviceId } tasks { nodes { taskId status extensions state { stateId } } } } }
            tasks(status: ACTIVE) { nodes { taskId extensions } }
          }
        }
      }
    }
  }
`;
