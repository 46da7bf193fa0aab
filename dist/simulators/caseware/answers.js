export function error(status, message) {
    const body = { errors: [{ message }] };
    return { status, body };
}
//# sourceMappingURL=answers.js.map