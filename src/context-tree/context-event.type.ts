// ContextEvent and the root field `contextEvents`: a desktop follows a customer, a contact key or
// a service and is told of every committed change, with the current service, state, task or
// customer selected at delivery (read through the same loaders as the root lookups).

import { decodeEventId } from '../events/position.js';
import { type Failure, handedOver, type LiveEvent } from '../events/subscriber.js';
import { ExtensionOwnerEnum } from '../extensions/extension-owner.type.js';
import { ContextEventType } from '../generated/prisma/enums.js';
import { builder } from '../graphql/builder.js';
import type { Context } from '../graphql/context.js';
import { badInput } from '../graphql/errors.js';
import type { DeclaredNode } from '../tree/declare.js';
import { loadById } from '../tree/load.js';
import { CustomerNode, ServiceNode, StateNode, TaskNode } from './nodes.js';

export const ContextEventTypeEnum = builder.enumType(ContextEventType, {
  name: 'ContextEventType',
  description: 'What a committed change did.',
});

const ContextEventRef = builder.objectRef<LiveEvent>('ContextEvent');

const current =
  <Row>(node: DeclaredNode<Row>, id: (event: LiveEvent) => string | null) =>
  (event: LiveEvent, _args: object, ctx: Context, info: Parameters<typeof loadById>[1]) => {
    const value = id(event);
    return value === null ? null : loadById<Row>(ctx, info, node, value);
  };

ContextEventRef.implement({
  description: 'A committed change to what a stream follows. `service`, `state`, `task` and `customer` are their values at delivery.',
  fields: (t) => ({
    eventId: t.exposeString('eventId', { description: 'Opaque and resumable: pass it back as `after`.' }),
    type: t.field({ type: ContextEventTypeEnum, resolve: (e) => e.type }),
    occurredAt: t.field({ type: 'DateTime', description: 'When the write recorded it, as it committed.', resolve: (e) => e.occurredAt }),
    customerId: t.exposeString('customerId', { nullable: true }),
    contactKey: t.exposeString('contactKey', { nullable: true }),
    serviceId: t.field({ type: 'ID', nullable: true, resolve: (e) => e.serviceId }),
    stateId: t.field({ type: 'ID', nullable: true, resolve: (e) => e.stateId }),
    taskId: t.field({ type: 'ID', nullable: true, resolve: (e) => e.taskId }),
    extensionOwner: t.field({
      type: ExtensionOwnerEnum,
      nullable: true,
      description: 'For EXTENSION_CHANGED: whose extension changed.',
      resolve: (e) => e.extensionOwner as typeof ExtensionOwnerEnum.$inferType | null,
    }),
    extensionName: t.exposeString('extensionName', { nullable: true, description: 'For EXTENSION_CHANGED: which extension.' }),
    previousCustomerId: t.exposeString('previousCustomerId', {
      nullable: true,
      description: 'For SERVICE_ASSOCIATED: the customer the service left (null when it was anonymous).',
    }),
    service: t.field({ type: ServiceNode.ref, nullable: true, resolve: current(ServiceNode, (e) => e.serviceId) }),
    state: t.field({ type: StateNode.ref, nullable: true, resolve: current(StateNode, (e) => e.stateId) }),
    task: t.field({ type: TaskNode.ref, nullable: true, resolve: current(TaskNode, (e) => e.taskId) }),
    customer: t.field({ type: CustomerNode.ref, nullable: true, resolve: current(CustomerNode, (e) => e.customerId) }),
  }),
});

interface ContextEventsArgs {
  customerId?: string | null;
  contactKey?: string | null;
  serviceId?: string | null;
  types?: ContextEventType[] | null;
  after?: string | null;
}

function streamOf(args: ContextEventsArgs): string {
  const given = (['customerId', 'contactKey', 'serviceId'] as const).filter((name) => args[name] != null);
  if (given.length !== 1) throw badInput(given[1] ?? 'customerId', 'give exactly one of customerId, contactKey and serviceId');
  const [name] = given;
  const value = String(args[name]);
  if (name === 'serviceId' && !/^\d{1,18}$/.test(value))
    throw badInput('serviceId', `service id must be a numeric id; got ${JSON.stringify(value)}`);
  return `${name === 'customerId' ? 'c' : name === 'contactKey' ? 'k' : 's'}:${value}`;
}

builder.subscriptionField('contextEvents', (t) =>
  t.field({
    type: ContextEventRef,
    description:
      'Every committed change to one customer, anonymous contact key or service, in commit order. `after` (or SSE `Last-Event-ID`) first delivers what was committed after that event.',
    args: {
      customerId: t.arg.string(),
      contactKey: t.arg.string(),
      serviceId: t.arg.id(),
      types: t.arg({ type: [ContextEventTypeEnum], description: 'Only these types (all when omitted).' }),
      after: t.arg.string({ description: 'The eventId of the last event received.' }),
    },
    subscribe: async (_root, args: ContextEventsArgs, ctx) => {
      const stream = streamOf(args);
      const { request } = ctx;
      const resumeFrom = args.after ?? request?.headers.get('last-event-id') ?? null;
      const after = resumeFrom === null ? null : decodeEventId(resumeFrom);
      if (resumeFrom !== null && !after) throw badInput('after', `not an eventId of this gateway: ${JSON.stringify(resumeFrom)}`);
      return ctx.live.subscribe({
        stream,
        types: args.types?.length ? new Set(args.types) : null,
        after,
        expiresAt: ctx.auth.expiresAt,
        client: ctx.auth.method === 'none' ? undefined : ctx.auth.id,
        onDeliver: request ? (event) => void handedOver(request).push(event?.eventId ?? null) : undefined,
      });
    },
    resolve: (payload: LiveEvent | Failure) => {
      if ('failure' in payload) throw payload.failure;
      return payload;
    },
  }),
);
