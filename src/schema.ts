// The schema index: imports every domain module for its side effects, then builds the schema.
import './business-attributes/business-attribute.type.js';
import './business-attributes/mutation.define-business-attribute.js';
import './context-tree/nodes.js';
import './customers/mutation.create-customer.js';
import './customers/mutation.update-customer.js';
import './identification/identification-key.type.js';
import './identification/mutation.create-identification-key.js';
import './identification/mutation.delete-identification-key.js';
import './customers/query.identify-customers.js';
import './services/mutation.start-service.js';
import './services/mutation.associate-service.js';
import './services/mutation.complete-service.js';
import './states/mutation.start-state.js';
import './states/mutation.complete-state.js';
import './states/mutation.transition-state.js';
import './tasks/mutation.start-task.js';
import './tasks/mutation.complete-task.js';
import './extensions/extension-schema.type.js';
import './extensions/mutation.create-extension-schema.js';
import './extensions/mutation.delete-extension-schema.js';
import './extensions/mutation.extension-data.js';
import './context-tree/context-event.type.js';
import { builder } from './graphql/builder.js';

export const schema = builder.toSchema({ sortSchema: true });
