// The schema index: imports every domain module for its side effects, then builds the schema.
import './builder.js';
import '../customers/customer.type.js';
import '../customers/mutation.create-customer.js';
import '../customers/mutation.update-customer.js';
import '../identification/identification-key.type.js';
import '../identification/mutation.create-identification-key.js';
import '../identification/query.identify-customers.js';
import '../services/service.type.js';
import '../services/mutation.start-service.js';
import { builder } from './builder.js';

export const schema = builder.toSchema({ sortSchema: true });
