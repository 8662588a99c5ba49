// Seeds a school of N students once into a data folder outside the repository and caches it.
//
// The service makes the demo school itself on the empty folder (4 colleges, staff, 1,000 students, the
// admin and an API key, printed once and kept here in `bench-api-key`); the bench then adds the rest
// straight through the MongoDB driver (`insertMany` in batches) in the shape of the service's models:
// staff up to 400, students up to N with guardians and care tiers, about three contacts per student
// over the past year (and `lastContactAt` to match), and key cases with their alerts. Sensitive archive
// fields are left empty (they would be sealed with the service's key). `bench-seed.json` is written last:
// a folder without it is half-seeded and is wiped and seeded again.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient, ObjectId } from 'mongodb';
import { SEED_VERSION } from './options.mjs';
import { startService } from './service-process.mjs';

const require = createRequire(import.meta.url);
const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'server');
const { academicYearOf } = require(path.join(dist, 'calendar', 'academic-calendar.js'));
const { startEmbeddedDatabase } = require(path.join(dist, 'db', 'embedded-database.js'));

const MARKER = 'bench-seed.json';
const KEY_FILE = 'bench-api-key';
export const DB_NAME = 'home_school_bridge';
const STAFF = 400;
const BATCH = 1_000;

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '高', '罗'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '华', '慧', '建国', '婷', '宇轩', '子涵', '欣怡', '浩然', '梓萱'];
const RELATIONS = ['父亲', '母亲', '祖父', '祖母', '其他监护人'];
const PROVINCES = ['山东省', '河南省', '河北省', '江苏省', '安徽省', '四川省', '湖北省', '山西省'];
const CHANNELS = ['phone', 'letter', 'sms', 'online', 'meeting', 'homeVisit'];
const TOPICS = ['conduct', 'grades', 'thinking', 'awardsPenalties', 'incident'];
const CASE_CATEGORIES = ['academic', 'cannotFollow', 'internetOrExtreme', 'emergency', 'statusChange', 'other'];
/** Per college: how the staff beyond the demo's are split (weights). */
const STAFF_ROLES = [['counselor', 50], ['academicMentor', 15], ['growthMentor', 12], ['teacher', 15], ['collegeLeader', 2]];
const DAY = 86_400_000;

function generator(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return { next, pick: (items) => items[Math.floor(next() * items.length)], int: (min, max) => min + Math.floor(next() * (max - min + 1)) };
}


export function seededSchool(dataDir) {
  const marker = path.join(dataDir, MARKER);
  if (!existsSync(marker)) return undefined;
  return { ...JSON.parse(readFileSync(marker, 'utf8')), apiKey: readFileSync(path.join(dataDir, KEY_FILE), 'utf8').trim() };
}

async function insertInBatches(collection, docs) {
  for (let i = 0; i < docs.length; i += BATCH) await collection.insertMany(docs.slice(i, i + BATCH), { ordered: false });
}

/** Returns the cached school, seeding it first when the folder holds none (or a half-seeded one). */
export async function ensureSchool(root, options, log) {
  const cached = options.reseed ? undefined : seededSchool(options.dataDir);
  if (cached && cached.students === options.students && cached.seedVersion === SEED_VERSION) {
    log(`school of ${cached.students.toLocaleString('en')} students cached in ${options.dataDir}`);
    return cached;
  }
  if (existsSync(options.dataDir)) {
    log(`wiping ${options.dataDir} (${cached ? 'reseed asked for' : 'no completed seed in it'})`);
    rmSync(options.dataDir, { recursive: true, force: true });
  }
  mkdirSync(options.dataDir, { recursive: true });
  const began = Date.now();
  log(`seeding ${options.students.toLocaleString('en')} students into ${options.dataDir} (once; later runs reuse it)…`);
  const service = await startService(root, { dataDir: options.dataDir, seedDemo: true, timeoutMs: options.startTimeoutMs });
  await service.stop();
  if (!service.apiKey) throw new Error(`the service made no demo API key:\n${service.output()}`);
  writeFileSync(path.join(options.dataDir, KEY_FILE), `${service.apiKey}\n`, { mode: 0o600 });
  // The rest is written with the service stopped, over one connection to the database alone: FerretDB
  // 1.24 is not safe with two writers (see server/db/embedded-database.ts).
  const database = await startEmbeddedDatabase({ kind: 'ferretdb', dataDir: path.join(options.dataDir, 'db'), log });
  const client = new MongoClient(database.uri, { directConnection: true, maxPoolSize: 1 });
  try {
    await client.connect();
    const counts = await addToSchool(client.db(DB_NAME), options.students, log);
    const school = { seedVersion: SEED_VERSION, students: options.students, ...counts, seededAt: new Date().toISOString(), seedSeconds: Math.round((Date.now() - began) / 1000) };
    writeFileSync(path.join(options.dataDir, MARKER), JSON.stringify(school, null, 2));
    log(`seeded in ${school.seedSeconds} s: ${JSON.stringify(counts)}`);
    return { ...school, apiKey: service.apiKey };
  } finally {
    await client.close();
    await database.stop();
  }
}

async function addToSchool(db, total, log) {
  const random = generator(20261123);
  const now = new Date();
  const year = academicYearOf(now);
  const colleges = await db.collection('colleges').find({}).sort({ code: 1 }).toArray();
  const users = await db.collection('users').find({}).toArray();
  const passwordHash = users.find((u) => u.role === 'counselor')?.passwordHash;
  const stamp = (at = now) => ({ createdAt: at, updatedAt: at, __v: 0 });

  // Staff: the demo's, then college staff by the weights above until there are STAFF.
  const extraStaff = [];
  const weights = STAFF_ROLES.flatMap(([role, weight]) => Array(weight).fill(role));
  for (let i = 0; users.length + extraStaff.length < STAFF; i += 1) {
    const collegeIndex = i % colleges.length;
    const role = weights[Math.floor(i / colleges.length) % weights.length];
    const username = `bench.${role.toLowerCase()}.${colleges[collegeIndex].code.toLowerCase()}.${i}`;
    extraStaff.push({ _id: new ObjectId(), username, displayName: `${random.pick(SURNAMES)}${random.pick(GIVEN)}`, role, college: colleges[collegeIndex]._id, email: `${username}@bench.edu.cn`, passwordHash, active: true, ...stamp() });
  }
  await insertInBatches(db.collection('users'), extraStaff);
  const staff = [...users, ...extraStaff];
  const byCollege = (role, college) => staff.filter((s) => s.role === role && s.college && String(s.college) === String(college._id));
  log(`  staff: ${staff.length}`);

  // Per college: a year of contacts (1–5 per student, ≈3) and key cases (≈1.5% of students, one alert
  // each) for the demo's students, then new students up to N with theirs (`lastContactAt` set to match).
  const existing = await db.collection('students').countDocuments({});
  const toAdd = Math.max(0, total - existing);
  const perCollege = Math.ceil(toAdd / colleges.length);
  const made = { contacts: 0, cases: 0, alerts: 0 };
  let added = 0;
  for (const college of colleges) {
    const counselors = byCollege('counselor', college);
    const teachers = byCollege('teacher', college);
    const history = { contacts: [], cases: [], alerts: [] };
    const historyOf = (student) => {
      const owner = student.counselor ?? staff[0]._id;
      const own = [];
      for (let k = random.int(1, 5); k > 0; k -= 1) {
        const contactedAt = new Date(now.getTime() - random.int(1, 365) * DAY - random.int(0, 86_399) * 1000);
        const topics = [random.pick(TOPICS)];
        if (random.next() < 0.3) topics.push(random.pick(TOPICS.filter((t) => t !== topics[0])));
        own.push({
          _id: new ObjectId(), student: student._id, college: college._id, owner, guardianName: student.guardians?.[0]?.name ?? '家长',
          channel: random.pick(CHANNELS), topics, summary: '与家长沟通了学生近期在校表现和学习情况。', parentFeedback: '家长表示理解，会配合学校督促学生。',
          followUps: random.next() < 0.2 ? [{ action: '两周后电话回访', due: new Date(contactedAt.getTime() + 14 * DAY) }] : [], closes: [], contactedAt, ...stamp(contactedAt),
        });
      }
      history.contacts.push(...own);
      if (random.next() < 0.015) {
        const category = random.pick(CASE_CATEGORIES);
        const opened = new Date(now.getTime() - random.int(1, 300) * DAY);
        const closed = random.next() < 0.7;
        const _id = new ObjectId();
        history.cases.push({
          _id, student: student._id, college: college._id, category, owner, deadline: new Date(opened.getTime() + 7 * DAY),
          openKey: closed ? `closed:${_id}` : `${student._id}:${category}`, status: closed ? 'closed' : 'open',
          ...(closed ? { closedAt: new Date(opened.getTime() + random.int(1, 7) * DAY), closedBy: owner, closingContact: own[0]._id, resolution: '已与家长沟通并制定帮扶措施。' } : {}),
          ...stamp(opened),
        });
        history.alerts.push({ _id: new ObjectId(), case: _id, college: college._id, at: opened, raisedBy: (teachers[0] ?? staff[0])._id, description: '任课教师反映该生近期多次缺课。', ...stamp(opened) });
      }
      return new Date(Math.max(...own.map((c) => c.contactedAt.getTime())));
    };

    const demoStudents = await db.collection('students').find({ college: college._id }).project({ _id: 1, counselor: 1, guardians: 1, major: 1 }).toArray();
    // One update command per student: FerretDB 1.24 stops answering after an update command that carries
    // about a hundred updates (a bulkWrite of 120 `updateOne`s by _id wedges it; 60 pass).
    for (const s of demoStudents) await db.collection('students').updateOne({ _id: s._id }, { $set: { lastContactAt: historyOf(s) } });

    const majors = [...new Set(demoStudents.map((s) => s.major))];
    const docs = [];
    for (let i = 0; i < perCollege && added < toAdd; i += 1, added += 1) {
      const grade = String(2022 + (i % 4));
      const surname = random.pick(SURNAMES);
      const tierRoll = random.next();
      // Special (≈5%: disability, illness…), key (≈10%: financial hardship), general.
      const careTier = tierRoll < 0.05 ? 'special' : tierRoll < 0.15 ? 'key' : 'general';
      const specialCategories = careTier === 'special' ? [random.pick(['disability', 'chronicIllness', 'psychological', 'familyChange'])] : careTier === 'key' ? ['financialHardship'] : [];
      const major = random.pick(majors.length ? majors : ['通用专业']);
      const guardians = [{ name: `${surname}${random.pick(GIVEN)}`, relation: random.pick(RELATIONS), phone: `13${String(Math.floor(random.next() * 1e9)).padStart(9, '0')}` }];
      if (random.next() < 0.4) guardians.push({ name: `${random.pick(SURNAMES)}${random.pick(GIVEN)}`, relation: '母亲', phone: `15${String(Math.floor(random.next() * 1e9)).padStart(9, '0')}` });
      const confirmed = random.next() < 0.85;
      const student = {
        _id: new ObjectId(),
        studentNo: `${grade}${college.code}${String(i + 1).padStart(5, '0')}`,
        name: `${surname}${random.pick(GIVEN)}`,
        gender: random.next() < 0.5 ? 'male' : 'female',
        birthDate: new Date(Date.UTC(Number(grade) - 18, random.int(0, 11), random.int(1, 28))),
        college: college._id,
        major,
        grade,
        className: `${major}${(i % 3) + 1}班`,
        counselor: counselors.length ? counselors[i % counselors.length]._id : undefined,
        guardians,
        homeAddress: `${random.pick(PROVINCES)}某市某区${random.int(1, 200)}号`,
        careTier,
        specialCategories,
        ...(careTier !== 'general' ? { supportPlan: '每月谈心一次，按时发放资助，关注学业进度。' } : {}),
        assistanceRecords: careTier === 'key' ? [{ _id: new ObjectId(), date: new Date(now.getTime() - random.int(10, 300) * DAY), kind: '助学金', description: '国家助学金二等', recordedBy: counselors[0]?._id }] : [],
        sealed: {},
        ...(confirmed ? { lastConfirmedAt: new Date(now.getTime() - random.int(1, 60) * DAY), lastConfirmedYear: year } : {}),
        revision: 0,
        ...stamp(),
      };
      student.lastContactAt = historyOf(student);
      docs.push(student);
    }
    await insertInBatches(db.collection('students'), docs);
    await insertInBatches(db.collection('contacts'), history.contacts);
    await insertInBatches(db.collection('keycases'), history.cases);
    await insertInBatches(db.collection('casealerts'), history.alerts);
    made.contacts += history.contacts.length;
    made.cases += history.cases.length;
    made.alerts += history.alerts.length;
    log(`  ${college.code}: +${docs.length} students, ${history.contacts.length} contacts, ${history.cases.length} cases`);
  }
  return {
    colleges: colleges.length,
    staff: staff.length,
    studentsInDatabase: await db.collection('students').countDocuments({}),
    ...made,
  };
}
