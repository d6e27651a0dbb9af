// Operations 1-3 and 5-9 of the inventory: start, associate and complete services; start,
// complete and transition states; start and complete tasks. Each runs the GraphQL mutation of
// the same name, selecting only the id it answers with.
import { z } from 'zod';
import { created, done, RestError, route } from './route.js';
import { attributeRef, endFields, endInput, eventFields, eventInput, extensionsOf, id, integer, text } from './wire.js';

const EXTENSIONS_NOTE =
  'Any other top-level key is an extension: an object (single-valued) or an array of records (multi-valued), replacing that extension.';

/** A body of `fields` whose other keys are extensions. */
const eventBody = <T extends z.ZodRawShape>(fields: T, description: string) =>
  z.looseObject(fields).meta({ description: `${description} ${EXTENSIONS_NOTE}` });

const idReply = (name: string) => z.object({ [name]: z.number().int() });

const START_SERVICE = `mutation RestStartService($input: StartServiceInput!) { startService(input: $input) { service { serviceId } } }`;
const ASSOCIATE_SERVICE = `mutation RestAssociateService($input: AssociateServiceInput!) { associateService(input: $input) { service { serviceId } } }`;
const COMPLETE_SERVICE = `mutation RestCompleteService($input: CompleteServiceInput!) { completeService(input: $input) { service { serviceId } } }`;
const START_STATE = `mutation RestStartState($input: StartStateInput!) { startState(input: $input) { state { stateId } } }`;
const COMPLETE_STATE = `mutation RestCompleteState($input: CompleteStateInput!) { completeState(input: $input) { state { stateId } } }`;
const TRANSITION_STATE = `mutation RestTransitionState($input: TransitionStateInput!) { transitionState(input: $input) { started { stateId } } }`;
const START_TASK = `mutation RestStartTask($input: StartTaskInput!) { startTask(input: $input) { task { taskId } } }`;
const COMPLETE_TASK = `mutation RestCompleteTask($input: CompleteTaskInput!) { completeTask(input: $input) { task { taskId } } }`;

const StartServiceBody = eventBody(
  {
    customer_id: text.nullish().meta({ description: 'The customer; omit (and give contact_key) for an anonymous service.' }),
    contact_key: text.nullish().meta({ description: 'Finds the anonymous service later (a PIN, a phone number...).' }),
    service_type: attributeRef.nullish(),
    est_duration: integer.nullish().meta({ description: 'Estimated duration in seconds.' }),
    ...eventFields,
  },
  'A service start event: customer_id or contact_key (or both), with the event fields.',
);

const AssociateBody = eventBody(
  { service_type: attributeRef.nullish(), est_duration: integer.nullish(), ...eventFields },
  'Optional: start-event fields to update.',
);

const EndBody = eventBody(endFields, 'Optional: the completion event.');

const StartStateBody = eventBody(
  { state_type: attributeRef.nullish(), previous_state_id: id.nullish(), est_duration: integer.nullish(), ...eventFields },
  'A state start event.',
);

const TransitionBody = z
  .looseObject({
    from: z
      .looseObject({ state_id: id, disposition: attributeRef.nullish(), disposition_desc: z.string().nullish() })
      .meta({ description: `The active state to complete. ${EXTENSIONS_NOTE}` }),
    to: z
      .looseObject({ state_type: attributeRef.nullish(), est_duration: integer.nullish() })
      .meta({ description: `The state to start. ${EXTENSIONS_NOTE}` }),
    complete_open_tasks: z.boolean().nullish().meta({ description: 'Also complete the active tasks of `from` (not in the reference).' }),
    ...eventFields,
  })
  .meta({ description: 'Completes `from` and starts `to` in one step; the event fields go to both.' });

const StartTaskBody = eventBody(
  {
    state_id: id.nullish().meta({ description: 'An active state of the service; omit for a task directly in the service.' }),
    task_type: attributeRef.nullish(),
    est_duration: integer.nullish(),
    ...eventFields,
  },
  'A task start event.',
);

export const LIFECYCLE_ROUTES = [
  route({
    method: 'POST',
    path: '/services/start',
    reference: '1 Start Service (CV.WS.SRV.1)',
    summary: 'Starts a service for a customer or, with only a contact key, an anonymous one.',
    graphql: 'startService(input)',
    body: StartServiceBody,
    operation: ({ body }) => ({
      document: START_SERVICE,
      variables: {
        input: {
          customerId: body.customer_id,
          contactKey: body.contact_key,
          serviceType: body.service_type,
          estDuration: body.est_duration,
          ...eventInput(body),
          extensions: extensionsOf(body),
        },
      },
    }),
    reply: (data, _input, ctx) => {
      const serviceId = data.startService.service.serviceId as string;
      return created(ctx, `/services/${serviceId}`, { service_id: Number(serviceId) });
    },
    success: { status: 201, description: 'Started; `Location` names the service.', schema: idReply('service_id') },
  }),
  route({
    method: 'POST',
    path: '/customers/{customer_id}/services/{service_id}',
    reference: '2 Associate Service (CV.WS.SRV.2)',
    summary: 'Links a service to a customer, overriding any earlier association; fields and extensions sent are updated.',
    graphql: 'associateService(input)',
    body: AssociateBody,
    bodyOptional: true,
    operation: ({ params, body }) => ({
      document: ASSOCIATE_SERVICE,
      variables: {
        input: {
          serviceId: params.service_id,
          customerId: params.customer_id,
          serviceType: body.service_type,
          estDuration: body.est_duration,
          ...eventInput(body),
          extensions: extensionsOf(body),
        },
      },
    }),
    reply: () => done(),
    success: { status: 200, description: 'Associated.' },
  }),
  route({
    method: 'POST',
    path: '/services/{service_id}/end',
    reference: '3 Complete Service (CV.WS.SRV.3)',
    summary: 'Completes a service. Its states and tasks are not completed with it.',
    graphql: 'completeService(input)',
    body: EndBody,
    bodyOptional: true,
    operation: ({ params, body }) => ({
      document: COMPLETE_SERVICE,
      variables: { input: { serviceId: params.service_id, ...endInput(body), extensions: extensionsOf(body) } },
    }),
    reply: () => done(),
    success: { status: 200, description: 'Completed.' },
  }),
  route({
    method: 'POST',
    path: '/services/{service_id}/states/start',
    reference: '5 Start State (CV.WS.SRV.5)',
    summary: 'Starts a state on an active service.',
    graphql: 'startState(input)',
    body: StartStateBody,
    operation: ({ params, body }) => ({
      document: START_STATE,
      variables: {
        input: {
          serviceId: params.service_id,
          stateType: body.state_type,
          previousStateId: body.previous_state_id,
          estDuration: body.est_duration,
          ...eventInput(body),
          extensions: extensionsOf(body),
        },
      },
    }),
    reply: (data, { params }, ctx) => {
      const stateId = data.startState.state.stateId as string;
      return created(ctx, `/services/${params.service_id}/states/${stateId}`, { state_id: Number(stateId) });
    },
    success: { status: 201, description: 'Started; `Location` names the state.', schema: idReply('state_id') },
  }),
  route({
    method: 'POST',
    path: '/services/{service_id}/states/{state_id}/end',
    reference: '6 Complete State (CV.WS.SRV.6)',
    summary: 'Completes a state of the service. Its tasks are not completed with it.',
    graphql: 'completeState(input)',
    body: EndBody,
    bodyOptional: true,
    operation: ({ params, body }) => ({
      document: COMPLETE_STATE,
      variables: {
        input: { stateId: params.state_id, serviceId: params.service_id, ...endInput(body), extensions: extensionsOf(body) },
      },
    }),
    reply: () => done(),
    success: { status: 200, description: 'Completed.' },
  }),
  route({
    method: 'POST',
    path: '/services/{service_id}/states/transition',
    reference: '7 Perform State Transition (CV.WS.SRV.7)',
    summary: 'Completes one active state of the service and starts the next in one atomic step.',
    graphql: 'transitionState(input)',
    body: TransitionBody,
    operation: ({ params, body }) => {
      const shared = extensionsOf(body);
      if (shared) {
        const [name] = Object.keys(shared);
        throw new RestError(400, 'BAD_USER_INPUT', `${name}: a transition's extensions belong to \`from\` or \`to\``, name);
      }
      return {
        document: TRANSITION_STATE,
        variables: {
          input: {
            serviceId: params.service_id,
            from: {
              stateId: body.from.state_id,
              disposition: body.from.disposition,
              dispositionDesc: body.from.disposition_desc,
              extensions: extensionsOf(body.from),
            },
            to: { stateType: body.to.state_type, estDuration: body.to.est_duration, extensions: extensionsOf(body.to) },
            completeOpenTasks: body.complete_open_tasks ?? false,
            ...eventInput(body),
          },
        },
      };
    },
    reply: (data, { params }, ctx) => {
      const stateId = data.transitionState.started.stateId as string;
      return created(ctx, `/services/${params.service_id}/states/${stateId}`, { state_id: Number(stateId) });
    },
    success: { status: 201, description: 'Transitioned; `Location` names the new state.', schema: idReply('state_id') },
  }),
  route({
    method: 'POST',
    path: '/services/{service_id}/tasks/start',
    reference: '8 Start Task (CV.WS.SRV.8)',
    summary: 'Starts a task on an active service, optionally inside one of its active states.',
    graphql: 'startTask(input)',
    body: StartTaskBody,
    operation: ({ params, body }) => ({
      document: START_TASK,
      variables: {
        input: {
          serviceId: params.service_id,
          stateId: body.state_id,
          taskType: body.task_type,
          estDuration: body.est_duration,
          ...eventInput(body),
          extensions: extensionsOf(body),
        },
      },
    }),
    reply: (data, { params }, ctx) => {
      const taskId = data.startTask.task.taskId as string;
      return created(ctx, `/services/${params.service_id}/tasks/${taskId}`, { task_id: Number(taskId) });
    },
    success: { status: 201, description: 'Started; `Location` names the task.', schema: idReply('task_id') },
  }),
  route({
    method: 'POST',
    path: '/services/{service_id}/tasks/{task_id}/end',
    reference: '9 Complete Task (CV.WS.SRV.9)',
    summary: 'Completes a task of the service.',
    graphql: 'completeTask(input)',
    body: EndBody,
    bodyOptional: true,
    operation: ({ params, body }) => ({
      document: COMPLETE_TASK,
      variables: { input: { taskId: params.task_id, serviceId: params.service_id, ...endInput(body), extensions: extensionsOf(body) } },
    }),
    reply: () => done(),
    success: { status: 200, description: 'Completed.' },
  }),
];
