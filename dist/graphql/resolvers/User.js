import { displayName } from "../../domain/user.js";
import { fromGlobalId, toGlobalId } from "../global-id.js";
import { loadUser } from "./lookup.js";
export const User = {
    __resolveReference: (reference, context) => loadUser(fromGlobalId(reference.id, 'User'), context),
    id: (user) => toGlobalId(user.vendor, 'User', user.vendorId),
    name: (user) => displayName(user),
};
//# sourceMappingURL=User.js.map